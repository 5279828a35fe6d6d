package dev.vae.api.objective;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Tensor;
import dev.vae.api.dist.Bernoulli;
import dev.vae.api.dist.DiagonalGaussian;
import dev.vae.api.nn.Init;
import dev.vae.api.nn.Linear;
import dev.vae.api.nn.Module;
import dev.vae.api.random.Rng;

/**
 * A tiny float64 Bernoulli VAE (linear encoder heads, linear decoder) with a plain-double mirror of
 * its computations for checking objectives.
 */
final class ToyVae extends Module {
    final int x;
    final int l;
    final Linear fcMu;
    final Linear fcLv;
    final Linear dec;

    ToyVae(Backend b, int x, int l, long seed) {
        this.x = x;
        this.l = l;
        Rng r = new Rng(seed);
        fcMu = register("fc21", new Linear(b, x, l, true, Init.PYTORCH_DEFAULT, DType.FLOAT64, r));
        fcLv = register("fc22", new Linear(b, x, l, true, Init.PYTORCH_DEFAULT, DType.FLOAT64, r));
        dec = register("fc3", new Linear(b, l, x, true, Init.PYTORCH_DEFAULT, DType.FLOAT64, r));
    }

    DiagonalGaussian encode(Tensor in) {
        return new DiagonalGaussian(fcMu.forward(in), fcLv.forward(in));
    }

    Bernoulli decode(Tensor z) {
        return new Bernoulli(dec.forward(z));
    }

    @Override
    public Tensor forward(Tensor in) {
        return fcMu.forward(in);
    }

    /** y = W v + b for one row. */
    static double[] affine(Linear lin, double[] v) {
        double[] w = lin.weight().toDoubles();
        double[] bias = lin.bias().toDoubles();
        int out = lin.outFeatures();
        int in = lin.inFeatures();
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double acc = bias[o];
            for (int i = 0; i < in; i++) {
                acc += w[o * in + i] * v[i];
            }
            y[o] = acc;
        }
        return y;
    }

    static double[] row(double[] a, int r, int width) {
        double[] out = new double[width];
        System.arraycopy(a, r * width, out, 0, width);
        return out;
    }

    static double softplus(double v) {
        return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }

    /** log p(x | z) for one example. */
    double logPx(double[] xr, double[] z) {
        double[] logits = affine(dec, z);
        double acc = 0;
        for (int i = 0; i < x; i++) {
            acc += xr[i] * logits[i] - softplus(logits[i]);
        }
        return acc;
    }

    /** log N(z; mu, exp(lv)). */
    static double logNormal(double[] z, double[] mu, double[] lv) {
        double acc = 0;
        for (int i = 0; i < z.length; i++) {
            double d = z[i] - mu[i];
            acc += -0.5 * (d * d / Math.exp(lv[i]) + lv[i] + Math.log(2 * Math.PI));
        }
        return acc;
    }

    /** log w = log p(x|z) + log p(z) - log q(z|x) for one example and one noise vector. */
    double logWeight(double[] xr, double[] eps) {
        double[] mu = affine(fcMu, xr);
        double[] lv = affine(fcLv, xr);
        double[] z = new double[l];
        for (int i = 0; i < l; i++) {
            z[i] = mu[i] + Math.exp(0.5 * lv[i]) * eps[i];
        }
        return logPx(xr, z) + logNormal(z, new double[l], new double[l]) - logNormal(z, mu, lv);
    }
}
