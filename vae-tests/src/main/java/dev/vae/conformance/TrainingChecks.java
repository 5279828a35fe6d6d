package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.dist.StandardNormal;
import dev.vae.api.nn.Parameters;
import dev.vae.api.objective.NegativeElbo;
import dev.vae.api.optim.Adam;
import dev.vae.api.random.Rng;
import dev.vae.api.spi.Capability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Short end-to-end training runs: the cross-backend regression check (a small VAE whose loss
 * trajectory must follow the reference's), the pytorch/examples VAE (784-400-20) training
 * deterministically, and the thousand scoped steps of the memory group.
 */
@SuppressWarnings("try") // scopes and grad-mode guards are opened for their effect, not referenced
final class TrainingChecks {
    /**
     * Largest relative difference allowed between a float32 loss trajectory and the reference's,
     * at any step. Correct backends differ by summation order only: the jvm and DJL/PyTorch
     * backends' float32 trajectories of the small VAE stay within 2e-7 of each other (measured
     * over 300 steps), so 1e-4 leaves a margin of about 500 for other orders, while a wrong kernel anywhere on
     * the path (forward, backward, optimizer, generator) moves the trajectory far more.
     */
    static final double TRAJECTORY_RTOL_F32 = 1e-4;
    /** The same for float64 trajectories (jvm and DJL/PyTorch agree within 4e-16). */
    static final double TRAJECTORY_RTOL_F64 = 1e-10;

    private TrainingChecks() {
    }

    /** The outcome of a training run. */
    record Run(double[] losses, double[] params, long[] live) {
    }

    /** The configuration of a training run. */
    record Setup(int in, int hidden, int latent, int examples, int batch, int steps, double lr, long seed) {
        String describe() {
            return String.format(Locale.ROOT, "VAE %d-%d-%d, %d steps of Adam(lr %s), batch %d of %d synthetic examples, seed %d",
                    in, hidden, latent, steps, Tol.fmt(lr), batch, examples, seed);
        }
    }

    /** The cross-backend regression run. */
    static final Setup SMALL = new Setup(64, 32, 4, 256, 32, 200, 3e-3, 11);
    /** The pytorch/examples architecture (784-400-20, Adam 1e-3), a few steps. */
    static final Setup PYTORCH_EXAMPLES = new Setup(784, 400, 20, 256, 32, 12, 1e-3, 1);
    /** The thousand scoped steps of the memory group. */
    static final Setup THOUSAND = new Setup(16, 8, 2, 64, 8, 1000, 1e-3, 3);

    static List<Check> create(Conformance conf) {
        List<Check> out = new ArrayList<>();
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            out.add(Check.of(CheckGroup.TRAINING, "loss trajectory", SMALL.describe() + ", " + dt.label(), () -> {
                Conformance.Env env = conf.env();
                require(env, dt);
                Run ref = train(env.reference, dt, SMALL);
                Run got = train(env.testee, dt, SMALL);
                assertFalls("the reference", ref.losses, 20);
                assertFalls("the backend", got.losses, 20);
                compareTrajectories(ref.losses, got.losses, dt);
            }));
        }
        out.add(Check.of(CheckGroup.TRAINING, "pytorch/examples VAE", PYTORCH_EXAMPLES.describe()
                + ", float32: the loss falls, follows the reference, and two runs give bit-identical parameters", () -> {
                    Conformance.Env env = conf.env();
                    require(env, DType.FLOAT32);
                    Run first = train(env.testee, DType.FLOAT32, PYTORCH_EXAMPLES);
                    Run second = train(env.testee, DType.FLOAT32, PYTORCH_EXAMPLES);
                    assertFalls("the backend", first.losses, 3);
                    for (int i = 0; i < first.params.length; i++) {
                        if (Double.doubleToLongBits(first.params[i]) != Double.doubleToLongBits(second.params[i])) {
                            throw new AssertionError("two runs with the same seed differ at parameter element " + i + " ("
                                    + first.params[i] + " and " + second.params[i] + "): training is not deterministic");
                        }
                    }
                    if (!Arrays.equals(first.losses, second.losses)) {
                        throw new AssertionError("two runs with the same seed have different losses: "
                                + Arrays.toString(first.losses) + " and " + Arrays.toString(second.losses));
                    }
                    Run ref = env.testee.name().equals(Conformance.REFERENCE) && conf.backendName().equals(Conformance.REFERENCE)
                            ? first : train(env.reference, DType.FLOAT32, PYTORCH_EXAMPLES);
                    compareTrajectories(ref.losses, first.losses, DType.FLOAT32);
                }));
        return out;
    }

    static void require(Conformance.Env env, DType dt) {
        if (dt == DType.FLOAT64) {
            env.require(Capability.FLOAT64, "float64 samples");
        }
        env.require(Capability.IN_PLACE, "training (the optimizer updates parameters in place)");
    }

    static void assertFalls(String who, double[] losses, int window) {
        double first = 0;
        double last = 0;
        for (int i = 0; i < window; i++) {
            first += losses[i];
            last += losses[losses.length - 1 - i];
        }
        if (!(last < first)) {
            throw new AssertionError("on " + who + " the loss did not fall: mean of the first " + window + " steps "
                    + Tol.fmt(first / window) + ", of the last " + window + " steps " + Tol.fmt(last / window));
        }
    }

    static void compareTrajectories(double[] ref, double[] got, DType dt) {
        double limit = dt == DType.FLOAT32 ? TRAJECTORY_RTOL_F32 : TRAJECTORY_RTOL_F64;
        int worst = -1;
        double worstRel = 0;
        for (int i = 0; i < ref.length; i++) {
            double rel = Math.abs(got[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-30);
            if (!(rel <= worstRel)) {
                worstRel = rel;
                worst = i;
            }
        }
        if (!(worstRel <= limit)) {
            throw new AssertionError("the loss trajectory leaves the reference's: relative difference " + Tol.fmt(worstRel)
                    + " at step " + (worst + 1) + " (reference " + Tol.fmt(ref[worst]) + ", got " + Tol.fmt(got[worst])
                    + "; limit " + limit + ": correct backends differ by summation order only, "
                    + (dt == DType.FLOAT32 ? "about 2e-7" : "about 4e-16") + ")");
        }
    }

    /**
     * Trains the VAE of {@code s} with the negative ELBO and Adam, each step in a scope, and
     * returns the per-example loss of every step, the final parameters and the live array count
     * after every step.
     */
    static Run train(Backend b, DType dt, Setup s) {
        double[] data = SyntheticData.binary(s.examples(), s.in(), 4, s.seed());
        double[] losses = new double[s.steps()];
        long[] live = new long[s.steps()];
        double[] params;
        try (TinyVae vae = new TinyVae(b, dt, dt, s.in(), s.hidden(), s.latent(), s.seed());
             Adam opt = new Adam(vae.parameters(), s.lr());
             Tensor x = b.tensor(data, dt, s.examples(), s.in()).untrack()) {
            StandardNormal prior = new StandardNormal(b, dt, s.latent());
            NegativeElbo elbo = new NegativeElbo();
            Rng noise = new Rng(s.seed(), 1, 0);
            Rng order = new Rng(s.seed(), 2, 0);
            int[] perm = null;
            int pos = s.examples();
            for (int step = 0; step < s.steps(); step++) {
                if (pos + s.batch() > s.examples()) {
                    perm = order.permutation(s.examples());
                    pos = 0;
                }
                int[] rows = Arrays.copyOfRange(perm, pos, pos + s.batch());
                pos += s.batch();
                try (Scope scope = Scope.open()) {
                    Tensor xb = x.gatherRows(rows);
                    NegativeElbo.Terms t = elbo.compute(xb, vae::encode, vae::decode, prior, noise);
                    t.loss().backward();
                    opt.step();
                    opt.zeroGrad();
                    losses[step] = t.loss().item() / s.batch();
                }
                live[step] = b.liveArrays();
            }
            params = Parameters.flatten(vae.parameters());
        }
        return new Run(losses, params, live);
    }
}
