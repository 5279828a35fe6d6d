package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.random.Philox;
import dev.vae.api.random.Rng;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The backend's Philox4x32-10 generation ({@code philoxUniform}, {@code philoxNormal}, and
 * {@code Backend.rand/randn} on top of them) against the host generator of {@link Philox}: the
 * same seed, stream and counter give the same numbers on every backend.
 */
@SuppressWarnings("try") // scopes and grad-mode guards are opened for their effect, not referenced
final class PhiloxChecks {
    /** Uniform mapping: exact in both dtypes. */
    static final Tol UNIFORM = Tol.exact("the uniform mapping is exact in float32 and float64: the same bits are required");
    /** float32 normals. */
    static final Tol NORMAL32 = Tol.of(1e-5, 1e-5,
            "Box-Muller may be evaluated on the device in float32: ln, sqrt, and cos/sin of 2*pi*v lose a few ulp of "
                    + "arguments up to 2*pi (absolute error ~1e-6 for values up to 6)");
    /** float64 normals. */
    static final Tol NORMAL64 = Tol.of(1e-13, 1e-13, "Box-Muller in float64 on the device: a few ulp of ln, sqrt, cos, sin");

    private PhiloxChecks() {
    }

    private record Case(long seed, long stream, long counter, int[] shape) {
        String describe() {
            return String.format(Locale.ROOT, "seed=%d stream=%d counter=%d shape %s", seed, stream, counter, Shapes.format(shape));
        }
    }

    static List<Check> create(Conformance conf) {
        List<Case> cases = List.of(
                new Case(0, 0, 0, new int[] {8}),
                new Case(42, 0, 0, new int[] {1}),
                new Case(42, 0, 5, new int[] {3}),
                new Case(42, 7, 1, new int[] {2, 3}),
                new Case(-1L, 0, 0, new int[] {5}),
                new Case(0x123456789ABL, 1L << 33, 0xFFFFFFFEL, new int[] {4, 5}),
                new Case(12345, 3, 1L << 40, new int[] {3, 0}),
                new Case(2024, 1, 0, new int[] {1001}),
                new Case(7, 0, 0, new int[] {}));
        List<Check> out = new ArrayList<>();
        for (String kind : new String[] {"uniform", "normal"}) {
            for (Case c : cases) {
                for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    String name = c.describe() + " " + dt.label();
                    out.add(Check.of(CheckGroup.PHILOX, "philox " + kind, name, () -> kernelCheck(conf.env(), kind, c, dt)));
                }
            }
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                out.add(Check.of(CheckGroup.PHILOX, "philox " + kind, "Backend." + (kind.equals("normal") ? "randn" : "rand")
                        + " draws in sequence " + dt.label(), () -> rngCheck(conf.env(), kind, dt)));
            }
        }
        return out;
    }

    private static void kernelCheck(Conformance.Env env, String kind, Case c, DType dt) {
        if (dt == DType.FLOAT64) {
            env.require(Capability.FLOAT64, "float64 samples");
        }
        int n = Shapes.sizeInt(c.shape);
        double[] expected = host(kind, c.seed, c.stream, c.counter, n, dt);
        Kernels k = env.testee.kernels();
        DeviceArray a = kind.equals("normal")
                ? k.philoxNormal(c.seed, c.stream, c.counter, c.shape.clone(), dt)
                : k.philoxUniform(c.seed, c.stream, c.counter, c.shape.clone(), dt);
        try {
            if (a.dtype() != dt) {
                throw new AssertionError("result dtype " + a.dtype().label() + ", expected " + dt.label());
            }
            Compare.assertClose("", expected, c.shape, k.toDoubles(a), a.shape(), dt, tol(kind, dt));
        } finally {
            k.release(a);
        }
    }

    static Tol tol(String kind, DType dt) {
        return kind.equals("uniform") ? UNIFORM : dt == DType.FLOAT32 ? NORMAL32 : NORMAL64;
    }

    static double[] host(String kind, long seed, long stream, long counter, int n, DType dt) {
        double[] out = new double[n];
        if (dt == DType.FLOAT32) {
            float[] f = new float[n];
            if (kind.equals("normal")) {
                Philox.normalFloats(seed, stream, counter, f, 0, n);
            } else {
                Philox.uniformFloats(seed, stream, counter, f, 0, n);
            }
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        } else if (kind.equals("normal")) {
            Philox.normalDoubles(seed, stream, counter, out, 0, n);
        } else {
            Philox.uniformDoubles(seed, stream, counter, out, 0, n);
        }
        return out;
    }

    /** Three draws in a row from one {@link Rng} continue the stream exactly as the host does. */
    private static void rngCheck(Conformance.Env env, String kind, DType dt) {
        if (dt == DType.FLOAT64) {
            env.require(Capability.FLOAT64, "float64 samples");
        }
        Rng device = new Rng(99, 4, 10);
        Rng host = new Rng(99, 4, 10);
        Backend b = env.testee;
        int[][] shapes = {{3}, {2, 5}, {7}};
        for (int[] shape : shapes) {
            int n = Shapes.sizeInt(shape);
            long start = host.counter();
            double[] expected = host(kind, host.seed(), host.stream(), start, n, dt);
            host.reserve(n, dt == DType.FLOAT64);
            try (Scope scope = Scope.open()) {
                Tensor t = kind.equals("normal") ? b.randn(device, dt, shape) : b.rand(device, dt, shape);
                Compare.assertClose("draw of shape " + Shapes.format(shape) + " at block " + start, expected, shape,
                        t.toDoubles(), t.shape(), dt, tol(kind, dt));
            }
            if (device.counter() != host.counter()) {
                throw new AssertionError("the generator is at block " + device.counter() + " after the draw, expected " + host.counter());
            }
        }
    }
}
