package dev.vae.models.physics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds systems from a compact textual specification {@code name[:key=value[,key=value...]]}:
 * <ul>
 *   <li>{@code ising:L=8,J=1,h=0} — the 2-D Ising model (defaults L=8, J=1, h=0);</li>
 *   <li>{@code gmm:D=2,sep=8,w0=0.3} — two unit-width Gaussian modes {@code sep} apart with weights
 *       {@code w0} and {@code 1 - w0} (defaults D=2, sep=8, w0=0.3);</li>
 *   <li>{@code double-well:D=2,a=0,b=-4,c=1} (defaults as shown);</li>
 *   <li>{@code muller-brown:scale=1} (default scale 1).</li>
 * </ul>
 * Keys are case-sensitive; unknown names and keys are errors that list the valid ones.
 */
public final class Systems {
    /** The recognised system names. */
    public static final List<String> NAMES = List.of("ising", "gmm", "double-well", "muller-brown");

    private Systems() {
    }

    /**
     * @param spec the specification, e.g. {@code "ising:L=4"}
     * @return the system
     * @throws IllegalArgumentException naming the offending part of {@code spec}
     */
    public static EnergyModel parse(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        Map<String, String> kv = new LinkedHashMap<>();
        if (colon >= 0 && colon < s.length() - 1) {
            for (String part : s.substring(colon + 1).split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("system '" + spec + "': expected key=value, got '" + part + "'");
                }
                kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        switch (name) {
            case "ising":
                allow(spec, kv, Set.of("L", "J", "h"));
                return new IsingModel(integer(spec, kv, "L", 8), number(spec, kv, "J", 1), number(spec, kv, "h", 0));
            case "gmm":
                allow(spec, kv, Set.of("D", "sep", "w0"));
                return GaussianMixture.twoModes(integer(spec, kv, "D", 2), number(spec, kv, "sep", 8), number(spec, kv, "w0", 0.3));
            case "double-well":
            case "doublewell":
                allow(spec, kv, Set.of("D", "a", "b", "c"));
                return new DoubleWell(integer(spec, kv, "D", 2), number(spec, kv, "a", 0), number(spec, kv, "b", -4),
                        number(spec, kv, "c", 1));
            case "muller-brown":
            case "mullerbrown":
                allow(spec, kv, Set.of("scale"));
                return new MullerBrown(number(spec, kv, "scale", 1));
            default:
                throw new IllegalArgumentException("unknown system '" + name + "' in '" + spec + "'; known: " + String.join(", ", NAMES));
        }
    }

    private static void allow(String spec, Map<String, String> kv, Set<String> keys) {
        for (String k : kv.keySet()) {
            if (!keys.contains(k)) {
                throw new IllegalArgumentException("system '" + spec + "': unknown parameter '" + k + "'; valid: "
                        + String.join(", ", new java.util.TreeSet<>(keys)));
            }
        }
    }

    private static double number(String spec, Map<String, String> kv, String key, double def) {
        String v = kv.get(key);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system '" + spec + "': " + key + " must be a number, got '" + v + "'");
        }
    }

    private static int integer(String spec, Map<String, String> kv, String key, int def) {
        String v = kv.get(key);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system '" + spec + "': " + key + " must be an integer, got '" + v + "'");
        }
    }
}
