package dev.vae.cli;

import dev.vae.api.Backend;
import dev.vae.api.BackendInfo;
import dev.vae.api.BackendUnavailableException;
import dev.vae.api.Backends;
import dev.vae.api.spi.BackendConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery with deliberately broken providers on the test class path (see
 * src/test/resources/META-INF/services): each is reported as unavailable with its reason, and the
 * real backends are still found and selectable.
 */
class BackendDiscoveryTest {

    private static Map<String, BackendInfo> byName() {
        return Backends.discover().stream().collect(Collectors.toMap(BackendInfo::name, b -> b, (a, b) -> a));
    }

    @Test
    void brokenProvidersDoNotHideWorkingOnes() {
        Map<String, BackendInfo> found = byName();
        assertTrue(found.get("jvm").available(), "jvm must be available: " + found);
        assertFalse(found.get("absent").available());
        assertEquals("no imaginary device on this machine", found.get("absent").probe().reason());
        BackendInfo probeBroken = found.get("probe-broken");
        assertFalse(probeBroken.available());
        assertTrue(probeBroken.probe().reason().contains("libimaginary.so"), probeBroken.probe().reason());
        String failures = Backends.discover().stream().filter(b -> b.provider() == null)
                .map(b -> b.name() + ": " + b.probe().reason()).collect(Collectors.joining("\n"));
        assertTrue(failures.contains("MissingProviderClass"), failures);
        assertTrue(failures.contains("ThrowingConstructorProvider"), failures);
        assertTrue(failures.contains("StaticInitFailureProvider"), failures);
    }

    @Test
    void automaticSelectionSkipsUnavailableHigherPriorities() {
        List<BackendInfo> found = Backends.discover();
        // broken and unavailable providers have priorities 999..1002, all above jvm's
        try (Backend b = Backends.open(null, BackendConfig.defaults(), found)) {
            assertTrue(b.liveArrays() >= 0);
            assertFalse(b.name().isEmpty());
            assertFalse(List.of("absent", "probe-broken").contains(b.name()));
        }
    }

    @Test
    void explicitUnknownNameListsWhatIsAvailable() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.open("no-such-backend"));
        assertTrue(e.getMessage().contains("unknown backend 'no-such-backend'"), e.getMessage());
        assertTrue(e.getMessage().contains("available: ") && e.getMessage().contains("jvm"), e.getMessage());
        assertTrue(e.getMessage().contains("absent (no imaginary device on this machine)"), e.getMessage());
    }

    @Test
    void explicitUnavailableNameSaysWhy() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("absent"));
        assertTrue(e.getMessage().startsWith("backend 'absent' is unavailable: no imaginary device"), e.getMessage());
    }

    @Test
    void explicitNameWinsOverProperty() {
        String old = System.getProperty(Backends.PROPERTY);
        System.setProperty(Backends.PROPERTY, "absent");
        try {
            assertEquals("absent", Backends.requestedName(null));
            assertEquals("jvm", Backends.requestedName("JVM"));
            try (Backend b = Backends.open("jvm")) {
                assertEquals("jvm", b.name());
            }
            assertThrows(BackendUnavailableException.class, () -> Backends.open(null));
        } finally {
            if (old == null) {
                System.clearProperty(Backends.PROPERTY);
            } else {
                System.setProperty(Backends.PROPERTY, old);
            }
        }
    }
}
