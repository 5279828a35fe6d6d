package dev.vae.models.physics.sampler;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.GradMode;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.nn.Module;
import dev.vae.api.random.Rng;
import dev.vae.models.physics.EnergyModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An autoregressive generator of spin configurations with an exact log-density, the variational
 * autoregressive network of Wu, Wang and Zhang (Phys. Rev. Lett. 122, 080602, 2019) built from
 * MADE-style masked dense layers (Germain et al. 2015):
 * {@code q(s) = prod_i q(s_i | s_1, ..., s_{i-1})} with each conditional a Bernoulli whose logit is
 * {@code out(h_L) + direct(s)}, where {@code h_l = tanh(masked_l(h_{l-1}))}, {@code h_0 = s}, and
 * {@code direct} is a strictly lower-triangular masked linear map (the exact form of a
 * pairwise-coupled conditional). Sites are ordered row-major; hidden unit {@code k} of every layer
 * has degree {@code 1 + (k mod (N - 1))}.
 *
 * <p>Optionally the model is made symmetric under a global spin flip,
 * {@code q_s(s) = (q(s) + q(-s)) / 2}, which the Ising model in zero field has: samples are drawn
 * from {@code q} and flipped with probability one half, and {@code ln q_s} stays exact.
 *
 * <p>Sampling takes {@code N} forward passes (one per site), all {@link Tensor} operations on the
 * backend. Training uses the score-function (REINFORCE) estimator with the batch-mean baseline:
 * {@code grad F_q = E_q[(f - mean f) grad ln q]}, {@code f = U + (1/beta) ln q}.
 */
public final class MadeGenerator extends Module implements Generator {
    private final Backend backend;
    private final DType dtype;
    private final int n;
    private final int[] hidden;
    private final boolean symmetric;
    private final List<MaskedLinear> layers = new ArrayList<>();
    private final MaskedLinear out;
    private final MaskedLinear direct;

    /**
     * @param backend   where the parameters live
     * @param n         number of spins {@code N >= 2}
     * @param hidden    widths of the hidden layers (may be empty: then only the direct map)
     * @param symmetric whether to symmetrise under a global spin flip
     * @param dtype     the parameters' element type
     * @param rng       the generator of the initial weights
     */
    public MadeGenerator(Backend backend, int n, int[] hidden, boolean symmetric, DType dtype, Rng rng) {
        if (n < 2) {
            throw new IllegalArgumentException("an autoregressive network needs at least 2 sites, got " + n);
        }
        this.backend = backend;
        this.dtype = dtype;
        this.n = n;
        this.hidden = hidden.clone();
        this.symmetric = symmetric;
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i + 1;
        }
        int prevWidth = n;
        for (int l = 0; l < hidden.length; l++) {
            int h = hidden[l];
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be positive, got " + Arrays.toString(hidden));
            }
            int[] deg = new int[h];
            for (int k = 0; k < h; k++) {
                deg[k] = 1 + (k % (n - 1));
            }
            double[] mask = new double[h * prevWidth];
            for (int k = 0; k < h; k++) {
                for (int j = 0; j < prevWidth; j++) {
                    mask[k * prevWidth + j] = deg[k] >= prev[j] ? 1 : 0;
                }
            }
            layers.add(register("hidden" + l, new MaskedLinear(backend, mask, prevWidth, h, true, dtype, rng)));
            prev = deg;
            prevWidth = h;
        }
        if (hidden.length > 0) {
            double[] mask = new double[n * prevWidth];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < prevWidth; k++) {
                    mask[i * prevWidth + k] = i + 1 > prev[k] ? 1 : 0;
                }
            }
            this.out = register("out", new MaskedLinear(backend, mask, prevWidth, n, true, dtype, rng));
        } else {
            this.out = null;
        }
        double[] dmask = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                dmask[i * n + j] = 1;
            }
        }
        this.direct = register("direct", new MaskedLinear(backend, dmask, n, n, out == null, dtype, rng));
    }

    @Override
    public String describe() {
        return "autoregressive MADE network, " + n + " sites, hidden " + Arrays.toString(hidden) + ", tanh, direct connections"
                + (symmetric ? ", Z2-symmetrised" : "");
    }

    @Override
    public String kind() {
        return "made";
    }

    @Override
    public int dimension() {
        return n;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    /** @return whether the model is symmetrised under a global flip */
    public boolean symmetric() {
        return symmetric;
    }

    /**
     * The conditional logits of {@code s_i = +1}.
     *
     * @param s spins of shape {@code (m, N)} (entries at and after site {@code i} do not affect logit {@code i})
     * @return logits of shape {@code (m, N)}
     */
    @Override
    public Tensor forward(Tensor s) {
        Tensor logits = direct.forward(s);
        if (out != null) {
            Tensor h = s;
            for (MaskedLinear l : layers) {
                h = l.forward(h).tanh();
            }
            logits = logits.add(out.forward(h));
        }
        return logits;
    }

    private Tensor logQUnsymmetric(Tensor s) {
        Tensor x01 = s.add(1).mul(0.5);
        return Tensor.bernoulliLogProb(forward(s), x01).sum(1);
    }

    /**
     * The exact log-density of spin configurations.
     *
     * @param s spins {@code -1/+1} of shape {@code (m, N)}
     * @return {@code ln q(s)}, shape {@code (m)}, differentiable with respect to the parameters
     */
    public Tensor logQ(Tensor s) {
        Tensor lp = logQUnsymmetric(s);
        if (!symmetric) {
            return lp;
        }
        int m = s.dim(0);
        Tensor flipped = logQUnsymmetric(s.neg());
        return Tensor.concat(List.of(lp.reshape(m, 1), flipped.reshape(m, 1)), 1).logSumExp(1, false).sub(Math.log(2));
    }

    /**
     * Draws spin configurations ancestrally, site by site.
     *
     * @param m   number of samples
     * @param rng the noise
     * @return spins of shape {@code (m, N)}, owned by the current scope (no gradient); call this
     *         inside a {@link Scope}
     */
    public Tensor sample(int m, Rng rng) {
        try (GradMode.Guard g = GradMode.disable()) {
            // s belongs to the caller's scope; the per-site intermediates to an inner one
            Tensor s = backend.zeros(dtype, m, n);
            double[] onehot = new double[n];
            for (int i = 0; i < n; i++) {
                try (Scope inner = Scope.open()) {
                    Tensor logit = forward(s).slice(1, i, i + 1);
                    Tensor u = backend.rand(rng, dtype, m, 1);
                    Tensor spin = u.lt(logit.sigmoid()).mul(2).sub(1);
                    Arrays.fill(onehot, 0);
                    onehot[i] = 1;
                    Tensor e = backend.tensor(onehot, dtype, 1, n);
                    s.assign(s.add(spin.mul(e)));
                }
            }
            if (symmetric) {
                Tensor sign = backend.rand(rng, dtype, m, 1).lt(0.5).mul(-2).add(1);
                s = s.mul(sign);
            }
            return s;
        }
    }

    @Override
    public Batch trainingBatch(EnergyModel model, double beta, int m, Rng rng) {
        checkModel(model);
        Tensor s = sample(m, rng);
        double[] u;
        try (GradMode.Guard g = GradMode.disable()) {
            u = model.energy(s).toDoubles();
        }
        Tensor lq = logQ(s);
        double[] lqh = lq.toDoubles();
        double[] f = new double[m];
        double mean = 0;
        for (int i = 0; i < m; i++) {
            f[i] = u[i] + lqh[i] / beta;
            mean += f[i];
        }
        mean /= m;
        double[] adv = new double[m];
        for (int i = 0; i < m; i++) {
            adv[i] = f[i] - mean;
        }
        Tensor loss = backend.tensor(adv, dtype, m).mul(lq).mean();
        return new Batch(loss, f);
    }

    private void checkModel(EnergyModel model) {
        if (!model.isDiscrete() || model.dimension() != n) {
            throw new IllegalArgumentException("this autoregressive network generates " + n + " spins; it cannot sample "
                    + model.describe());
        }
    }

    @Override
    public Tensor dataLoss(Tensor x, Rng rng) {
        return logQ(x).mean().neg();
    }

    @Override
    public Draw draw(int m, Rng rng) {
        try (Scope sc = Scope.open(); GradMode.Guard g = GradMode.disable()) {
            Tensor s = sample(m, rng);
            double[] lq = logQ(s).toDoubles();
            return new Draw(s.toDoubles(), lq, m);
        }
    }
}
