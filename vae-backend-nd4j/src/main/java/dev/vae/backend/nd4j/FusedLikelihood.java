package dev.vae.backend.nd4j;

import java.nio.FloatBuffer;

/**
 * The float32 likelihood terms as single Java passes over dense native buffers, in cache-sized
 * chunks (as {@link FusedAdam}); the exponentials come from libnd4j, whose {@code exp} is fast,
 * while its {@code log} is not (0.8 ms for 100,352 floats) and each of the half dozen other
 * operations of the compositions costs a pass over memory plus 10 to 50 µs of dispatch.
 *
 * <p>Each pass rounds as the backend's composition of the same kernels does, operation by
 * operation in float32; only {@code log1p} is computed differently (by a series accurate to about
 * one ulp), so results agree with the compositions to a few ulp.
 *
 * <p>An instance holds scratch arrays and is used by one thread at a time (the kernels' contract).
 */
final class FusedLikelihood {
    private static final int CHUNK = FusedAdam.CHUNK;

    private final float[] a = new float[CHUNK];
    private final float[] b = new float[CHUNK];
    private final float[] c = new float[CHUNK];

    /**
     * Bernoulli log-probability {@code x*l - softplus(l)}, softplus as the backend computes it:
     * {@code max(l, 0) + log1p(e)} with {@code e = exp(-|l|)}.
     *
     * @param l the logits
     * @param x the targets
     * @param e on entry {@code exp(-|l|)}; on return the result
     * @param n the number of elements
     */
    void bernoulliLogProb(FloatBuffer l, FloatBuffer x, FloatBuffer e, int n) {
        int lp = l.position();
        int xp = x.position();
        int ep = e.position();
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            l.get(lp + start, a, 0, len);
            x.get(xp + start, b, 0, len);
            e.get(ep + start, c, 0, len);
            bernoulli(a, b, c, len);
            e.put(ep + start, c, 0, len);
        }
    }

    private static void bernoulli(float[] l, float[] x, float[] e, int n) {
        for (int i = 0; i < n; i++) {
            float li = l[i];
            float sp = Math.max(li, 0f) + log1pUnit(e[i]);
            e[i] = x[i] * li - sp;
        }
    }

    /**
     * {@code log1p(e)} for {@code e} in [0, 1] (NaN kept) as {@code 2 atanh(s)}, {@code s = e/(2+e)}
     * in [0, 1/3], by its series to the {@code s^15} term (truncation below 3e-9 relative): within
     * about an ulp of float32's correctly rounded value, and exact in relative terms near 0 where
     * {@code log(1+e)} loses every digit.
     */
    static float log1pUnit(float e) {
        float s = e / (2f + e);
        float s2 = s * s;
        float p = 1f / 15f;
        p = p * s2 + 1f / 13f;
        p = p * s2 + 1f / 11f;
        p = p * s2 + 1f / 9f;
        p = p * s2 + 1f / 7f;
        p = p * s2 + 1f / 5f;
        p = p * s2 + 1f / 3f;
        p = p * s2 + 1f;
        return 2f * s * p;
    }

    /**
     * Element-wise KL(N(mu, e^lv) || N(0, 1)) rounded as the composition:
     * {@code ((var + mu^2) - lv - 1) * 0.5}.
     *
     * @param mu the means
     * @param lv the log-variances
     * @param var on entry {@code exp(lv)}; on return the result
     * @param n the number of elements
     */
    void gaussianKl(FloatBuffer mu, FloatBuffer lv, FloatBuffer var, int n) {
        int mp = mu.position();
        int lp = lv.position();
        int vp = var.position();
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            mu.get(mp + start, a, 0, len);
            lv.get(lp + start, b, 0, len);
            var.get(vp + start, c, 0, len);
            kl(a, b, c, len);
            var.put(vp + start, c, 0, len);
        }
    }

    private static void kl(float[] mu, float[] lv, float[] var, int n) {
        for (int i = 0; i < n; i++) {
            float m = mu[i];
            var[i] = (((var[i] + m * m) - lv[i]) - 1f) * 0.5f;
        }
    }
}
