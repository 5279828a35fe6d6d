package dev.vae.conformance;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The non-tensor arguments of a sample (axes, flags, shapes, scalars), in insertion order; their
 * text form appears in test names and failure messages ({@code axes=[0] keepDims=false}).
 */
public final class Args {
    private static final Args NONE = new Args(new LinkedHashMap<>());
    private final Map<String, Object> map;

    private Args(Map<String, Object> map) {
        this.map = Collections.unmodifiableMap(map);
    }

    /** @return no arguments */
    public static Args none() {
        return NONE;
    }

    /** @return arguments from alternating names and values */
    public static Args of(Object... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("Args.of needs name/value pairs");
        }
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v instanceof int[] ? ((int[]) v).clone() : v);
        }
        return new Args(m);
    }

    /** @return the int array argument {@code name} */
    public int[] ints(String name) {
        return ((int[]) get(name)).clone();
    }

    /** @return the int argument {@code name} */
    public int integer(String name) {
        return (Integer) get(name);
    }

    /** @return the boolean argument {@code name} */
    public boolean bool(String name) {
        return (Boolean) get(name);
    }

    /** @return the double argument {@code name} */
    public double real(String name) {
        return ((Number) get(name)).doubleValue();
    }

    /** @return true if the argument is present */
    public boolean has(String name) {
        return map.containsKey(name);
    }

    /** @return the argument {@code name} */
    public Object get(String name) {
        if (!map.containsKey(name)) {
            throw new IllegalArgumentException("no argument '" + name + "' in " + this);
        }
        return map.get(name);
    }

    /** @return true if there are no arguments */
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            Object v = e.getValue();
            sb.append(e.getKey()).append('=').append(v instanceof int[] ? Arrays.toString((int[]) v) : String.valueOf(v));
        }
        return sb.toString();
    }
}
