package dev.vae.models.physics.sampler;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.nn.Layer;
import dev.vae.api.nn.Linear;
import dev.vae.api.nn.Module;
import dev.vae.api.nn.Sequential;
import dev.vae.api.nn.Tanh;
import dev.vae.api.random.Rng;
import dev.vae.models.physics.EnergyModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A latent-variable free-energy sampler built from VAE parts: a standard normal prior
 * {@code p(z)}, a decoder {@code p(x|z)} (independent Bernoulli spins for lattices, a diagonal
 * Gaussian for continuous states) and an auxiliary encoder {@code r(z|x)} (diagonal Gaussian),
 * each an MLP with tanh activations. It is trained by minimising the joint variational free energy
 * <pre>
 * F_joint = E_{p(z) p(x|z)} [ U(x) + (1/beta) (ln p(z) + ln p(x|z) - ln r(z|x)) ]  >=  F_q  >=  F,
 * </pre>
 * where {@code F_q} is the variational free energy of the marginal {@code q(x) = ∫ p(z) p(x|z) dz}.
 * Continuous states are reparameterised ({@code x = mu(z) + sigma(z) eps}), so the whole integrand
 * is differentiated; for spins the decoder's gradient is the score-function estimator with the
 * batch-mean baseline, {@code E[(f - mean f) grad ln p(x|z)]}, and the encoder's is direct.
 *
 * <p>For estimation, {@code ln q(x)} is replaced by the importance estimate through the encoder
 * {@code ln q_K(x) = ln (1/K) sum_k p(z_k) p(x|z_k) / r(z_k|x)}, with {@code z_1} the latent that
 * generated {@code x} and {@code z_2..z_K ~ r(.|x)}. With that choice the weights
 * {@code exp(-beta U(x)) / q_K(x)} are exact on the extended space {@code (x, z_1..z_K)}, whose
 * target {@code p(x) prod_k r(z_k|x)} has the Boltzmann distribution as its x-marginal: the
 * importance-sampling estimate of {@code Z} is unbiased and the independence Metropolis–Hastings
 * chain is exact for every {@code K >= 1} ({@code K = 1} is the joint {@code (x, z)} chain).
 * Log-variances are squashed into {@code (-12, 4)} by a scaled sigmoid.
 */
public final class LatentGenerator extends Module implements Generator {
    private static final double LV_MIN = -12;
    private static final double LV_MAX = 4;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Backend backend;
    private final DType dtype;
    private final int dim;
    private final int latent;
    private final boolean discrete;
    private final int[] hidden;
    private final int importanceSamples;
    private final Sequential decoder;
    private final Sequential encoder;

    /**
     * @param backend           where the parameters live
     * @param dim               configuration dimension {@code D}
     * @param discrete          true for spins (Bernoulli decoder), false for real coordinates
     * @param latent            latent dimension {@code d >= 1}
     * @param hidden            hidden widths of both MLPs (at least one)
     * @param importanceSamples {@code K >= 1} for the estimate of {@code ln q(x)}
     * @param dtype             the parameters' element type
     * @param rng               generator of the initial weights
     */
    public LatentGenerator(Backend backend, int dim, boolean discrete, int latent, int[] hidden, int importanceSamples,
                           DType dtype, Rng rng) {
        if (dim < 1 || latent < 1 || hidden.length == 0 || importanceSamples < 1) {
            throw new IllegalArgumentException("latent generator needs D >= 1, d >= 1, a hidden layer and K >= 1; got D=" + dim
                    + ", d=" + latent + ", hidden=" + Arrays.toString(hidden) + ", K=" + importanceSamples);
        }
        this.backend = backend;
        this.dtype = dtype;
        this.dim = dim;
        this.latent = latent;
        this.discrete = discrete;
        this.hidden = hidden.clone();
        this.importanceSamples = importanceSamples;
        this.decoder = register("decoder", mlp(backend, latent, hidden, discrete ? dim : 2 * dim, dtype, rng));
        this.encoder = register("encoder", mlp(backend, dim, hidden, 2 * latent, dtype, rng));
    }

    private static Sequential mlp(Backend b, int in, int[] hidden, int out, DType dtype, Rng rng) {
        List<Layer> layers = new ArrayList<>();
        int prev = in;
        for (int h : hidden) {
            layers.add(new Linear(b, prev, h, true, dev.vae.api.nn.Init.PYTORCH_DEFAULT, dtype, rng));
            layers.add(new Tanh());
            prev = h;
        }
        layers.add(new Linear(b, prev, out, true, dev.vae.api.nn.Init.PYTORCH_DEFAULT, dtype, rng));
        return new Sequential(layers);
    }

    @Override
    public String describe() {
        return "latent-variable generator: z in R^" + latent + " ~ N(0, I), " + (discrete ? "Bernoulli" : "Gaussian")
                + " decoder and Gaussian encoder r(z|x), MLPs " + Arrays.toString(hidden) + " tanh, K=" + importanceSamples
                + " importance samples for ln q";
    }

    @Override
    public String kind() {
        return "latent";
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    /** @return the latent dimension */
    public int latentDimension() {
        return latent;
    }

    /**
     * The decoder's raw output for latent codes: Bernoulli logits {@code (m, D)} for spins, or
     * means and unsquashed log-variances {@code (m, 2D)} for continuous states.
     *
     * @param z latent codes of shape {@code (m, d)}
     * @return the decoder output
     */
    @Override
    public Tensor forward(Tensor z) {
        return decoder.forward(z);
    }

    private static Tensor squash(Tensor raw) {
        return raw.sigmoid().mul(LV_MAX - LV_MIN).add(LV_MIN);
    }

    /** @return {mean, logvar} of r(z|x), each (m, d) */
    private Tensor[] encode(Tensor x) {
        Tensor h = encoder.forward(x);
        return new Tensor[] {h.slice(1, 0, latent), squash(h.slice(1, latent, 2 * latent))};
    }

    /** @return {mean, logvar} (continuous) or {logits} (discrete) of p(x|z) */
    private Tensor[] decode(Tensor z) {
        Tensor h = decoder.forward(z);
        if (discrete) {
            return new Tensor[] {h};
        }
        return new Tensor[] {h.slice(1, 0, dim), squash(h.slice(1, dim, 2 * dim))};
    }

    /** Diagonal Gaussian log-density summed over the last axis of (m, k) tensors. */
    private static Tensor gaussianLogPdf(Tensor x, Tensor mean, Tensor logvar) {
        int k = x.dim(1);
        Tensor d = x.sub(mean);
        return d.square().mul(logvar.neg().exp()).add(logvar).sum(1).mul(-0.5).sub(0.5 * k * LOG_2PI);
    }

    private Tensor standardNormalLogPdf(Tensor z) {
        return z.square().sum(1).mul(-0.5).sub(0.5 * latent * LOG_2PI);
    }

    /** ln p(x|z) for configurations x in the system's convention. */
    private Tensor decoderLogProb(Tensor[] dec, Tensor x) {
        if (discrete) {
            return Tensor.bernoulliLogProb(dec[0], x.add(1).mul(0.5)).sum(1);
        }
        return gaussianLogPdf(x, dec[0], dec[1]);
    }

    private Tensor sampleDecoder(Tensor[] dec, int m, Rng rng) {
        if (discrete) {
            return backend.rand(rng, dtype, m, dim).lt(dec[0].sigmoid()).mul(2).sub(1);
        }
        return dec[0].add(dec[1].mul(0.5).exp().mul(backend.randn(rng, dtype, m, dim)));
    }

    private void checkModel(EnergyModel model) {
        if (model.isDiscrete() != discrete || model.dimension() != dim) {
            throw new IllegalArgumentException("this generator produces " + dim + (discrete ? " spins" : " real coordinates")
                    + "; it cannot sample " + model.describe());
        }
    }

    @Override
    public Batch trainingBatch(EnergyModel model, double beta, int m, Rng rng) {
        checkModel(model);
        Tensor z = backend.randn(rng, dtype, m, latent);
        Tensor lpz = standardNormalLogPdf(z);
        Tensor[] dec = decode(z);
        if (!discrete) {
            Tensor eps = backend.randn(rng, dtype, m, dim);
            Tensor x = dec[0].add(dec[1].mul(0.5).exp().mul(eps));
            // ln p(x|z) along the reparameterised path: (x - mu) / sigma = eps
            Tensor lpx = eps.square().add(dec[1]).sum(1).mul(-0.5).sub(0.5 * dim * LOG_2PI);
            Tensor[] enc = encode(x);
            Tensor lr = gaussianLogPdf(z, enc[0], enc[1]);
            Tensor f = model.energy(x).add(lpz.add(lpx).sub(lr).mul(1 / beta));
            return new Batch(f.mean(), f.toDoubles());
        }
        Tensor x;
        try (GradMode.Guard g = GradMode.disable()) {
            x = sampleDecoder(new Tensor[] {dec[0].detach()}, m, rng);
        }
        Tensor lpx = decoderLogProb(dec, x);
        Tensor[] enc = encode(x);
        Tensor lr = gaussianLogPdf(z, enc[0], enc[1]);
        double[] u;
        double[] lpxh;
        double[] lrh;
        double[] lpzh;
        try (GradMode.Guard g = GradMode.disable()) {
            u = model.energy(x).toDoubles();
            lpxh = lpx.toDoubles();
            lrh = lr.toDoubles();
            lpzh = lpz.toDoubles();
        }
        double[] f = new double[m];
        double mean = 0;
        for (int i = 0; i < m; i++) {
            f[i] = u[i] + (lpzh[i] + lpxh[i] - lrh[i]) / beta;
            mean += f[i];
        }
        mean /= m;
        double[] adv = new double[m];
        for (int i = 0; i < m; i++) {
            adv[i] = f[i] - mean;
        }
        Tensor loss = backend.tensor(adv, dtype, m).mul(lpx).mean().sub(lr.mean().mul(1 / beta));
        return new Batch(loss, f);
    }

    @Override
    public Tensor dataLoss(Tensor x, Rng rng) {
        int m = x.dim(0);
        Tensor[] enc = encode(x);
        Tensor z = enc[0].add(enc[1].mul(0.5).exp().mul(backend.randn(rng, dtype, m, latent)));
        Tensor lpx = decoderLogProb(decode(z), x);
        Tensor kl = Tensor.gaussianKlStdNormal(enc[0], enc[1]).sum(1);
        return kl.sub(lpx).mean();
    }

    @Override
    public Draw draw(int m, Rng rng) {
        int k = importanceSamples;
        try (Scope sc = Scope.open(); GradMode.Guard g = GradMode.disable()) {
            Tensor z1 = backend.randn(rng, dtype, m, latent);
            Tensor x = sampleDecoder(decode(z1), m, rng);
            Tensor[] enc = encode(x);
            Tensor zs = z1.reshape(m, 1, latent);
            if (k > 1) {
                Tensor mu = enc[0].reshape(m, 1, latent);
                Tensor sd = enc[1].mul(0.5).exp().reshape(m, 1, latent);
                Tensor more = mu.add(sd.mul(backend.randn(rng, dtype, m, k - 1, latent)));
                zs = Tensor.concat(List.of(zs, more), 1);
            }
            Tensor zf = zs.reshape(m * k, latent);
            Tensor xf = x.reshape(m, 1, dim).broadcastTo(m, k, dim).reshape(m * k, dim);
            Tensor muR = enc[0].reshape(m, 1, latent).broadcastTo(m, k, latent).reshape(m * k, latent);
            Tensor lvR = enc[1].reshape(m, 1, latent).broadcastTo(m, k, latent).reshape(m * k, latent);
            Tensor lw = standardNormalLogPdf(zf).add(decoderLogProb(decode(zf), xf)).sub(gaussianLogPdf(zf, muR, lvR));
            Tensor lq = lw.reshape(m, k).logSumExp(1, false).sub(Math.log(k));
            return new Draw(x.toDoubles(), lq.toDoubles(), m);
        }
    }
}
