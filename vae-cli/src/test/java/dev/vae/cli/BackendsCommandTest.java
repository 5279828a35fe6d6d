package dev.vae.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vae backends} and the CLI's error conventions. */
class BackendsCommandTest {

    @Test
    void listsJvmAsAvailableAndBrokenOnesWithReasons() {
        CliRun r = CliRun.of("backends");
        assertEquals(0, r.status(), r.err());
        String jvmLine = r.out().lines().filter(l -> l.startsWith("jvm ")).findFirst().orElseThrow(
                () -> new AssertionError("no jvm line in\n" + r.out()));
        assertTrue(jvmLine.contains("available") && jvmLine.contains("10"), jvmLine);
        assertTrue(r.out().contains("no imaginary device on this machine"), r.out());
        assertTrue(r.out().contains("libimaginary.so"), r.out());
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CliRun r = CliRun.of("no-such-command");
        assertEquals(2, r.status());
        assertFalse(r.err().isEmpty());
    }

    @Test
    void negativeThreadsIsAUsageError() {
        CliRun r = CliRun.of("--threads", "-1", "backends");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--threads must be >= 0"), r.err());
    }
}
