package dev.vae.backend.jvm;

/**
 * Single-pass loops of the fused kernels. Each one performs, per element, exactly the operations
 * of its reference composition in {@link dev.vae.api.spi.Compositions} in the same order and with
 * the same rounding (scalar constants are rounded to the array's type first, just as the
 * composition's scalar arrays are), so the fused results are bit-identical to the compositions on
 * this backend; they only skip the intermediate arrays. The float32 Bernoulli loop runs on
 * {@link VectorLoops} when the Vector API is available, with the same softplus code as the
 * float32 {@code SOFTPLUS} loop there, so it stays bit-identical to its composition.
 */
final class FusedLoops {
    private FusedLoops() {
    }

    /** Elements per block of the float64 buffer of the float32 loops (see {@link FloatLoops}). */
    private static final int BLOCK = 256;

    /** {@code o = x*l - softplus(l)} over {@code [s, e)}. */
    static void bernoulliLogProb(float[] l, float[] x, float[] o, int s, int e) {
        if (VectorSupport.AVAILABLE) {
            VectorLoops.bernoulliLogProb(l, x, o, s, e);
            return;
        }
        double[] t = new double[Math.min(BLOCK, Math.max(0, e - s))];
        for (int i0 = s; i0 < e; i0 += BLOCK) {
            int n = Math.min(BLOCK, e - i0);
            for (int j = 0; j < n; j++) {
                t[j] = l[i0 + j];
            }
            for (int j = 0; j < n; j++) {
                t[j] = ScalarMath.softplus(t[j]);
            }
            for (int j = 0; j < n; j++) {
                int i = i0 + j;
                float xl = x[i] * l[i];
                float sp = (float) t[j];
                o[i] = xl - sp;
            }
        }
    }

    /** {@code o = x*l - softplus(l)} over {@code [s, e)}. */
    static void bernoulliLogProb(double[] l, double[] x, double[] o, int s, int e) {
        for (int i = s; i < e; i++) {
            double li = l[i];
            o[i] = x[i] * li - ScalarMath.softplus(li);
        }
    }

    /** {@code o = (((e^lv + mu^2) - lv) - 1) * 0.5} over {@code [s, e)}. */
    static void gaussianKl(float[] mu, float[] lv, float[] o, int s, int e) {
        double[] t = new double[Math.min(BLOCK, Math.max(0, e - s))];
        for (int i0 = s; i0 < e; i0 += BLOCK) {
            int n = Math.min(BLOCK, e - i0);
            for (int j = 0; j < n; j++) {
                t[j] = lv[i0 + j];
            }
            for (int j = 0; j < n; j++) {
                t[j] = Math.exp(t[j]);
            }
            for (int j = 0; j < n; j++) {
                int i = i0 + j;
                float m = mu[i];
                float var = (float) t[j];
                float s1 = var + m * m;
                float s2 = s1 - lv[i];
                float s3 = s2 - 1f;
                o[i] = s3 * 0.5f;
            }
        }
    }

    /** {@code o = (((e^lv + mu^2) - lv) - 1) * 0.5} over {@code [s, e)}. */
    static void gaussianKl(double[] mu, double[] lv, double[] o, int s, int e) {
        for (int i = s; i < e; i++) {
            double m = mu[i];
            double v = lv[i];
            o[i] = (((Math.exp(v) + m * m) - v) - 1.0) * 0.5;
        }
    }

    /** One Adam(W) step over {@code [s, e)}, in place on {@code p}, {@code m}, {@code v}. */
    static void adam(float[] p, float[] g, float[] m, float[] v, dev.vae.api.spi.AdamHyper h, int s, int e) {
        float b1 = (float) h.beta1();
        float ob1 = (float) (1 - h.beta1());
        float b2 = (float) h.beta2();
        float ob2 = (float) (1 - h.beta2());
        float bc1 = (float) h.biasCorrection1();
        float bc2 = (float) h.biasCorrection2();
        float eps = (float) h.eps();
        float lr = (float) h.lr();
        boolean decay = h.weightDecay() != 0;
        float keep = (float) (1 - h.lr() * h.weightDecay());
        for (int i = s; i < e; i++) {
            float gi = g[i];
            float mNew = m[i] * b1 + gi * ob1;
            float vNew = v[i] * b2 + (gi * gi) * ob2;
            float mHat = mNew / bc1;
            float vHat = vNew / bc2;
            float den = (float) Math.sqrt(vHat) + eps;
            float upd = (mHat / den) * lr;
            float pi = decay ? p[i] * keep : p[i];
            m[i] = mNew;
            v[i] = vNew;
            p[i] = pi - upd;
        }
    }

    /** One Adam(W) step over {@code [s, e)}, in place on {@code p}, {@code m}, {@code v}. */
    static void adam(double[] p, double[] g, double[] m, double[] v, dev.vae.api.spi.AdamHyper h, int s, int e) {
        double b1 = h.beta1();
        double ob1 = 1 - h.beta1();
        double b2 = h.beta2();
        double ob2 = 1 - h.beta2();
        double bc1 = h.biasCorrection1();
        double bc2 = h.biasCorrection2();
        double eps = h.eps();
        double lr = h.lr();
        boolean decay = h.weightDecay() != 0;
        double keep = 1 - h.lr() * h.weightDecay();
        for (int i = s; i < e; i++) {
            double gi = g[i];
            double mNew = m[i] * b1 + gi * ob1;
            double vNew = v[i] * b2 + (gi * gi) * ob2;
            double mHat = mNew / bc1;
            double vHat = vNew / bc2;
            double den = Math.sqrt(vHat) + eps;
            double upd = (mHat / den) * lr;
            double pi = decay ? p[i] * keep : p[i];
            m[i] = mNew;
            v[i] = vNew;
            p[i] = pi - upd;
        }
    }
}
