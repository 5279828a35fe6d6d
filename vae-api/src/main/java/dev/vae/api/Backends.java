package dev.vae.api;

import dev.vae.api.spi.BackendConfig;
import dev.vae.api.spi.BackendProvider;
import dev.vae.api.spi.Kernels;
import dev.vae.api.spi.ProbeResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Discovers backends with {@link ServiceLoader} and selects one.
 *
 * <p>Selection order: an explicit name; else the system property {@value #PROPERTY}; else the
 * environment variable {@value #ENV}; else the highest-priority available backend. An unknown or
 * unavailable name is an error listing what is available and why the others are not. A provider
 * that fails to load (missing class, broken native library, a throwing constructor or probe) is
 * reported as unavailable and does not affect the others.
 */
public final class Backends {
    /** System property naming the backend to use. */
    public static final String PROPERTY = "vae.backend";
    /** Environment variable naming the backend to use. */
    public static final String ENV = "VAE_BACKEND";

    private Backends() {
    }

    /** @return every provider on the class path of this class's loader, probed, highest priority first */
    public static List<BackendInfo> discover() {
        return discover(Backends.class.getClassLoader());
    }

    /** @return every provider visible to {@code loader}, probed, highest priority first */
    public static List<BackendInfo> discover(ClassLoader loader) {
        List<BackendInfo> out = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, loader).iterator();
        while (true) {
            BackendProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                out.add(new BackendInfo(describeLoadFailure(e), Integer.MIN_VALUE,
                        ProbeResult.unavailable("provider failed to load: " + rootMessage(e)), null));
                continue;
            }
            out.add(probe(p));
        }
        out.sort(Comparator.comparingInt(BackendInfo::priority).reversed());
        return out;
    }

    private static BackendInfo probe(BackendProvider p) {
        String name;
        int priority;
        try {
            name = p.name();
            priority = p.priority();
        } catch (Throwable t) {
            return new BackendInfo(p.getClass().getName(), Integer.MIN_VALUE,
                    ProbeResult.unavailable("provider failed: " + rootMessage(t)), null);
        }
        ProbeResult r;
        try {
            r = p.probe();
            if (r == null) {
                r = ProbeResult.unavailable("probe() returned null");
            }
        } catch (Throwable t) {
            r = ProbeResult.unavailable("probe failed: " + rootMessage(t));
        }
        return new BackendInfo(name, priority, r, p);
    }

    private static String describeLoadFailure(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // ServiceLoader messages start with "dev.vae.api.spi.BackendProvider: Provider X ..."
        int i = m.indexOf("Provider ");
        if (i >= 0) {
            String rest = m.substring(i + 9);
            int sp = rest.indexOf(' ');
            return sp > 0 ? rest.substring(0, sp) : rest;
        }
        return "(unloadable provider)";
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        String top = t.getMessage();
        if (c != t && top != null && m != null && !top.contains(m)) {
            return top + " (" + c.getClass().getSimpleName() + ": " + m + ")";
        }
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * @return the name that selection would use: {@code explicit} if non-blank, else the system
     *         property, else the environment variable, else null (meaning automatic)
     */
    public static String requestedName(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.trim().toLowerCase(Locale.ROOT);
        }
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return prop.trim().toLowerCase(Locale.ROOT);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return env.trim().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    /** Opens the backend selected by {@code explicit} (may be null) with the default config. */
    public static Backend open(String explicit) {
        return open(explicit, BackendConfig.defaults());
    }

    /**
     * Opens a backend following the selection order.
     *
     * @throws BackendUnavailableException if the requested backend is unknown or unavailable, or
     *                                     none is available
     */
    public static Backend open(String explicit, BackendConfig config) {
        return open(explicit, config, discover());
    }

    /** Selection over an already discovered list (see {@link #open(String, BackendConfig)}). */
    public static Backend open(String explicit, BackendConfig config, List<BackendInfo> found) {
        String want = requestedName(explicit);
        BackendInfo chosen = null;
        if (want != null) {
            for (BackendInfo b : found) {
                if (b.name().equals(want)) {
                    chosen = b;
                    break;
                }
            }
            if (chosen == null) {
                throw new BackendUnavailableException("unknown backend '" + want + "'; " + summary(found));
            }
            if (!chosen.available()) {
                throw new BackendUnavailableException("backend '" + want + "' is unavailable: "
                        + chosen.probe().reason() + "; " + summary(found));
            }
        } else {
            for (BackendInfo b : found) {
                if (b.available()) {
                    chosen = b;
                    break;
                }
            }
            if (chosen == null) {
                throw new BackendUnavailableException("no backend is available; " + summary(found));
            }
        }
        Kernels k;
        try {
            k = chosen.provider().create(config);
        } catch (RuntimeException | LinkageError e) {
            throw new BackendUnavailableException("backend '" + chosen.name() + "' failed to start: " + rootMessage(e));
        }
        return Backend.of(k);
    }

    /** @return "available: jvm, nd4j; unavailable: cuda (no libcuda.so.1)" */
    public static String summary(List<BackendInfo> found) {
        String avail = found.stream().filter(BackendInfo::available).map(BackendInfo::name)
                .collect(Collectors.joining(", "));
        String unavail = found.stream().filter(b -> !b.available())
                .map(b -> b.name() + " (" + b.probe().reason() + ")").collect(Collectors.joining(", "));
        return "available: " + (avail.isEmpty() ? "none" : avail)
                + (unavail.isEmpty() ? "" : "; unavailable: " + unavail);
    }
}
