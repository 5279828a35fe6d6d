package dev.vae.backend.jvm;

import dev.vae.api.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Vector API float32 transcendental loops against the scalar ones: within one float32 ulp
 * (they differ only in the float64 exp/log implementations), the same special values, and results
 * independent of an element's position in the loop. NaNs are compared as NaN: the sign bit of a
 * NaN result is not specified (the Vector API's interpreted fallback and its compiled intrinsics
 * may differ there, as may the tail and the body of a loop while only one is compiled).
 */
class VectorLoopsTest {
    private static final float[] SPECIALS = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, -1e-30f, 88.7f, -88.7f, 100f,
        -100f, 20f, -20f, 40f, -40f, 0.5f, -0.5f, 1f, -1f};

    private static float[] inputs() {
        java.util.Random r = new java.util.Random(3);
        float[] x = new float[SPECIALS.length + 2000];
        System.arraycopy(SPECIALS, 0, x, 0, SPECIALS.length);
        for (int i = SPECIALS.length; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * (i % 3 == 0 ? 30 : 3));
        }
        return x;
    }

    @Test
    void unaryWithinOneUlpOfTheScalarLoops() {
        assumeTrue(VectorSupport.AVAILABLE, "jdk.incubator.vector not present");
        float[] x = inputs();
        for (UnaryOp op : UnaryOp.values()) {
            if (!VectorLoops.handles(op)) {
                continue;
            }
            float[] v = new float[x.length];
            VectorLoops.unary(op, x, v, 0, x.length);
            double[] d = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                d[i] = x[i];
            }
            DoubleLoops.unary(op, d, d, 0, d.length);
            for (int i = 0; i < x.length; i++) {
                float s = (float) d[i];
                String what = op + "(" + x[i] + "): scalar " + s + ", vector " + v[i];
                if (Float.isNaN(s) || Float.isInfinite(s) || s == 0f) {
                    assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(v[i]), what);
                } else {
                    assertTrue(Math.abs(v[i] - s) <= Math.ulp(s), what);
                }
            }
        }
    }

    @Test
    void resultsDoNotDependOnPosition() {
        assumeTrue(VectorSupport.AVAILABLE, "jdk.incubator.vector not present");
        float[] x = inputs();
        float[] ones = new float[x.length];
        java.util.Arrays.fill(ones, 0.25f);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.SIGMOID, UnaryOp.SOFTPLUS, UnaryOp.EXP}) {
            float[] ref = new float[x.length];
            VectorLoops.unary(op, x, ref, 0, x.length);
            for (int s = 1; s < 20; s++) {
                float[] o = new float[x.length];
                VectorLoops.unary(op, x, o, 0, s);
                VectorLoops.unary(op, x, o, s, x.length - s);
                VectorLoops.unary(op, x, o, x.length - s, x.length);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Float.floatToIntBits(ref[i]), Float.floatToIntBits(o[i]), op + " split " + s + " @" + i);
                }
            }
        }
        float[] ref = new float[x.length];
        VectorLoops.bernoulliLogProb(x, ones, ref, 0, x.length);
        for (int s = 1; s < 20; s++) {
            float[] o = new float[x.length];
            VectorLoops.bernoulliLogProb(x, ones, o, 0, s);
            VectorLoops.bernoulliLogProb(x, ones, o, s, x.length);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToIntBits(ref[i]), Float.floatToIntBits(o[i]), "bernoulli split " + s + " @" + i);
            }
        }
    }
}
