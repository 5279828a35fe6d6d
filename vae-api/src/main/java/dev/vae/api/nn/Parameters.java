package dev.vae.api.nn;

import dev.vae.api.Scope;
import dev.vae.api.ShapeException;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Operations on named parameter maps (as returned by {@link Layer#parameters()}): counting, export
 * to and import from host arrays (checkpoints), copying between models on different backends, and
 * flattening values or gradients into one host vector in map order (data-parallel training).
 *
 * <p>Every import is strict: the names must match exactly and the shapes must agree, and nothing
 * is written unless everything fits, so a failed load never leaves a model half-overwritten. The
 * element type may differ (values are converted). Temporary tensors are released before each
 * method returns.
 */
public final class Parameters {
    private Parameters() {
    }

    /**
     * @param params not null
     * @return the total number of scalar values in all parameters
     */
    public static long count(Map<String, Tensor> params) {
        long n = 0;
        for (Tensor t : params.values()) {
            n += t.size();
        }
        return n;
    }

    /**
     * Copies every parameter's values to the host.
     *
     * @param params not null
     * @return an unmodifiable map with the same names, in the same order
     */
    public static Map<String, HostArray> toHost(Map<String, Tensor> params) {
        Map<String, HostArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            out.put(e.getKey(), HostArray.of(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    private static void checkNames(Set<String> target, Set<String> source, String what) {
        if (!target.equals(source)) {
            Set<String> missing = new TreeSet<>(target);
            missing.removeAll(source);
            Set<String> unexpected = new TreeSet<>(source);
            unexpected.removeAll(target);
            throw new IllegalArgumentException(what + ": parameter names differ; missing " + missing
                    + ", unexpected " + unexpected);
        }
    }

    private static void checkShape(String name, int[] target, int[] source, String what) {
        if (!Arrays.equals(target, source)) {
            throw new ShapeException(what + ": parameter \"" + name + "\" has shape " + Shapes.format(target)
                    + " but the source has " + Shapes.format(source));
        }
    }

    /**
     * Overwrites the values of {@code target} (in place, keeping the tensors and their gradients)
     * with {@code source}, converting element types as needed.
     *
     * @param target live parameters, not null
     * @param source host values with exactly the same names and shapes, not null
     * @throws IllegalArgumentException if the names differ (message lists missing and unexpected
     *                                  names); nothing is written
     * @throws ShapeException if a shape differs (message names the parameter); nothing is written
     */
    public static void load(Map<String, Tensor> target, Map<String, HostArray> source) {
        checkNames(target.keySet(), source.keySet(), "load");
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            checkShape(e.getKey(), e.getValue().shape(), source.get(e.getKey()).shape(), "load");
        }
        try (Scope s = Scope.open()) {
            for (Map.Entry<String, Tensor> e : target.entrySet()) {
                Tensor t = e.getValue();
                t.assign(source.get(e.getKey()).toTensor(t.backend(), t.dtype()));
            }
        }
    }

    /**
     * Copies values from one parameter map to another, which may live on a different backend or
     * have a different element type (through host float64 values).
     *
     * @param source the parameters to read, not null
     * @param target the parameters to overwrite in place, same names and shapes, not null
     * @throws IllegalArgumentException if the names differ; nothing is written
     * @throws ShapeException if a shape differs; nothing is written
     */
    public static void copy(Map<String, Tensor> source, Map<String, Tensor> target) {
        checkNames(target.keySet(), source.keySet(), "copy");
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            checkShape(e.getKey(), e.getValue().shape(), source.get(e.getKey()).shape(), "copy");
        }
        load(target, toHost(source));
    }

    /**
     * Concatenates the values of all parameters, in map order, into one host vector.
     *
     * @param params not null
     * @return {@link #count(Map)} values
     * @throws ArithmeticException if there are more than {@code Integer.MAX_VALUE} values
     */
    public static double[] flatten(Map<String, Tensor> params) {
        double[] out = new double[Math.toIntExact(count(params))];
        int off = 0;
        for (Tensor t : params.values()) {
            double[] d = t.toDoubles();
            System.arraycopy(d, 0, out, off, d.length);
            off += d.length;
        }
        return out;
    }

    /**
     * Overwrites the parameters in place with consecutive slices of {@code flat}, in map order (the
     * inverse of {@link #flatten(Map)}).
     *
     * @param flat exactly {@link #count(Map)} values, not null
     * @param target the parameters, not null
     * @throws ShapeException if the length differs; nothing is written
     */
    public static void unflatten(double[] flat, Map<String, Tensor> target) {
        if (flat.length != count(target)) {
            throw new ShapeException("unflatten: " + flat.length + " values for " + count(target) + " parameter values");
        }
        try (Scope s = Scope.open()) {
            int off = 0;
            for (Tensor t : target.values()) {
                int n = Math.toIntExact(t.size());
                t.assign(t.backend().tensor(Arrays.copyOfRange(flat, off, off + n), t.dtype(), t.shape()));
                off += n;
            }
        }
    }

    /**
     * Concatenates the gradients of all parameters, in map order, into one host vector; a parameter
     * without a gradient contributes zeros.
     *
     * @param params not null
     * @return {@link #count(Map)} values
     */
    public static double[] flattenGradients(Map<String, Tensor> params) {
        double[] out = new double[Math.toIntExact(count(params))];
        int off = 0;
        for (Tensor t : params.values()) {
            Tensor g = t.grad();
            if (g != null) {
                double[] d = g.toDoubles();
                System.arraycopy(d, 0, out, off, d.length);
            }
            off += Math.toIntExact(t.size());
        }
        return out;
    }

    /**
     * Replaces every parameter's gradient with consecutive slices of {@code flat}, in map order
     * (for example gradients averaged across workers). The new gradient buffers are caller-owned,
     * like those {@link Tensor#backward()} creates, and released by {@link Tensor#zeroGrad()}.
     *
     * @param params the parameters, not null
     * @param flat exactly {@link #count(Map)} values, not null
     * @throws ShapeException if the length differs; nothing is written
     */
    public static void setGradients(Map<String, Tensor> params, double[] flat) {
        if (flat.length != count(params)) {
            throw new ShapeException("setGradients: " + flat.length + " values for " + count(params) + " parameter values");
        }
        int off = 0;
        for (Tensor t : params.values()) {
            int n = Math.toIntExact(t.size());
            Tensor g = t.backend().tensor(Arrays.copyOfRange(flat, off, off + n), t.dtype(), t.shape()).untrack();
            t.setGrad(g);
            off += n;
        }
    }

    /**
     * Releases every parameter's gradient buffer ({@link Tensor#zeroGrad()}).
     *
     * @param params not null
     */
    public static void zeroGrad(Map<String, Tensor> params) {
        for (Tensor t : params.values()) {
            t.zeroGrad();
        }
    }

    /**
     * Releases every parameter and its gradient (for parameter maps not owned by a {@link Layer};
     * a layer's parameters are released by {@link Layer#close()}).
     *
     * @param params not null
     */
    public static void close(Map<String, Tensor> params) {
        for (Tensor t : params.values()) {
            t.zeroGrad();
            t.close();
        }
    }

    /**
     * @param prefix prepended with a dot, non-empty, not null
     * @param params not null
     * @return an unmodifiable map with every name {@code prefix + "." + name}, same order and tensors
     */
    public static Map<String, Tensor> prefixed(String prefix, Map<String, Tensor> params) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("prefix must be non-empty");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            out.put(prefix + "." + e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }
}
