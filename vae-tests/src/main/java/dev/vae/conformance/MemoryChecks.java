package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Scope;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import dev.vae.api.spi.Capability;
import dev.vae.api.spi.DeviceArray;
import dev.vae.api.spi.Kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Scope release: every op's forward and backward pass inside a scope leaves the backend's live
 * array count where it was, and many scoped training steps keep it flat; a backend that reports
 * its device memory in use reports an array's bytes while it lives and not after.
 */
@SuppressWarnings("try") // scopes and grad-mode guards are opened for their effect, not referenced
final class MemoryChecks {
    /** Steps of the scoped training loop. */
    static final int STEPS = 100;

    private MemoryChecks() {
    }

    static List<Check> create(Conformance conf) {
        List<Check> out = new ArrayList<>();
        for (OpInfo op : OpRegistry.all()) {
            List<SampleInput> samples = op.samples();
            int pick = -1;
            for (int i = 0; i < samples.size() && pick < 0; i++) {
                if (!op.differentiable() || samples.get(i).grad()) {
                    pick = i;
                }
            }
            if (pick < 0) {
                continue;
            }
            SampleInput s = samples.get(pick);
            long seed = Harness.seed(op.name(), pick);
            String what = op.differentiable() ? "forward and backward " : "forward ";
            out.add(Check.ofOp(CheckGroup.MEMORY, op.name(), what + s.describe() + " float32 inside a scope releases everything",
                    () -> opCheck(conf.env(), op, s, seed)));
        }
        out.add(Check.of(CheckGroup.MEMORY, "scoped training", STEPS + " scoped SGD steps of a small MLP (replacing parameters)",
                () -> trainingCheck(conf.env(), false)));
        out.add(Check.of(CheckGroup.MEMORY, "scoped training", STEPS + " scoped SGD steps of a small MLP (assign in place)",
                () -> {
                    Conformance.Env env = conf.env();
                    env.require(Capability.IN_PLACE, "in-place parameter updates");
                    trainingCheck(env, true);
                }));
        out.add(Check.of(CheckGroup.MEMORY, "scoped training", TrainingChecks.THOUSAND.describe()
                + ": live arrays flat after every step", () -> {
                    Conformance.Env env = conf.env();
                    TrainingChecks.require(env, DType.FLOAT32);
                    long start = env.testee.liveArrays();
                    TrainingChecks.Run run = TrainingChecks.train(env.testee, DType.FLOAT32, TrainingChecks.THOUSAND);
                    long[] live = run.live();
                    for (int i = 1; i < live.length; i++) {
                        if (live[i] != live[0]) {
                            throw new AssertionError("live arrays " + live[i] + " after step " + (i + 1) + ", " + live[0]
                                    + " after step 1: " + (live[i] - live[0]) + " arrays leaked by the scoped steps");
                        }
                    }
                    long end = env.testee.liveArrays();
                    if (end != start) {
                        throw new AssertionError("live arrays " + end + " after closing the model, optimizer and data, "
                                + start + " before");
                    }
                }));
        out.add(Check.of(CheckGroup.MEMORY, "device memory query",
                "deviceMemoryInUse grows by at least a new array's bytes and falls back when it is released",
                () -> deviceMemoryCheck(conf.env())));
        return out;
    }

    /**
     * For a backend that reports {@code deviceMemoryInUse}: a new 4 MiB float32 array raises the
     * count by at least its 4 MiB while it lives, and releasing it brings the count back to where
     * it was. Skipped where the backend reports nothing.
     */
    private static void deviceMemoryCheck(Conformance.Env env) {
        Kernels k = env.testee.kernels();
        OptionalLong before = k.deviceMemoryInUse();
        if (before.isEmpty()) {
            throw new CheckSkipped("backend '" + env.testee.name() + "' reports no device memory (deviceMemoryInUse is empty)");
        }
        int n = 1 << 20;
        DeviceArray a = k.full(new int[] {n}, DType.FLOAT32, 1.0);
        long during;
        try {
            during = k.deviceMemoryInUse().orElseThrow(() -> new AssertionError("deviceMemoryInUse became empty"));
        } finally {
            k.release(a);
        }
        long after = k.deviceMemoryInUse().orElseThrow(() -> new AssertionError("deviceMemoryInUse became empty"));
        if (before.getAsLong() < 0 || during - before.getAsLong() < 4L * n) {
            throw new AssertionError("deviceMemoryInUse went from " + before.getAsLong() + " to " + during
                    + " bytes while a new array of " + 4L * n + " bytes was live");
        }
        if (after != before.getAsLong()) {
            throw new AssertionError("deviceMemoryInUse was " + before.getAsLong() + " bytes before a 4 MiB array, "
                    + after + " after releasing it");
        }
    }

    private static void opCheck(Conformance.Env env, OpInfo op, SampleInput s, long seed) {
        if (op.needsFloat64()) {
            env.require(Capability.FLOAT64, "op '" + op.name() + "'");
        }
        Backend b = env.testee;
        double[][] logical = Harness.logical(s, seed, DType.FLOAT32);
        Harness.Stored st = Harness.store(s, logical);
        long before = b.liveArrays();
        for (int rep = 0; rep < 3; rep++) {
            if (op.differentiable()) {
                Harness.Result y = Harness.forward(b, op, s, DType.FLOAT32, st, null);
                Harness.gradients(b, op, s, DType.FLOAT32, st, Harness.weights(seed, y.values().length));
            } else {
                Harness.forward(b, op, s, DType.FLOAT32, st, null);
            }
            long after = b.liveArrays();
            if (after != before) {
                throw new AssertionError("live arrays went from " + before + " to " + after + " after closing the scope (repetition "
                        + (rep + 1) + "): " + (after - before) + " arrays leaked");
            }
        }
    }

    /**
     * Trains y = sigmoid(W2 relu(W1 x + b1) + b2) on fixed data with plain SGD, each step in a
     * scope; parameters live outside. The live count after every step must equal the count after
     * the first step, and closing the parameters returns it to where it started.
     */
    static void trainingCheck(Conformance.Env env, boolean inPlace) {
        Backend b = env.testee;
        long start = b.liveArrays();
        Rng rng = new Rng(5);
        List<Tensor> params = new ArrayList<>();
        Tensor x = b.tensor(rng.normalFloats(16 * 6), 16, 6).untrack();
        Tensor y = b.tensor(rng.uniformFloats(16 * 2), 16, 2).untrack();
        params.add(b.tensor(scale(rng.normalFloats(8 * 6), 0.3f), 8, 6).untrack());
        params.add(b.zeros(DType.FLOAT32, 8).untrack());
        params.add(b.tensor(scale(rng.normalFloats(2 * 8), 0.3f), 2, 8).untrack());
        params.add(b.zeros(DType.FLOAT32, 2).untrack());
        long afterFirst = -1;
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        try {
            for (int step = 0; step < STEPS; step++) {
                try (Scope scope = Scope.open()) {
                    for (Tensor p : params) {
                        p.requiresGrad(true);
                    }
                    Tensor h = x.linear(params.get(0), params.get(1)).relu();
                    Tensor logits = h.linear(params.get(2), params.get(3));
                    Tensor loss = Tensor.bernoulliLogProb(logits, y).sum().neg().div(16.0);
                    loss.backward();
                    for (int i = 0; i < params.size(); i++) {
                        Tensor p = params.get(i);
                        Tensor updated;
                        try (dev.vae.api.GradMode.Guard g = dev.vae.api.GradMode.disable()) {
                            updated = p.sub(p.grad().mul(0.5));
                        }
                        p.zeroGrad();
                        if (inPlace) {
                            p.assign(updated);
                        } else {
                            scope.keep(updated);
                            p.close();
                            params.set(i, updated);
                        }
                    }
                    lastLoss = loss.item();
                    if (step == 0) {
                        firstLoss = lastLoss;
                    }
                }
                long live = b.liveArrays();
                if (step == 0) {
                    afterFirst = live;
                } else if (live != afterFirst) {
                    throw new AssertionError("live arrays " + live + " after step " + (step + 1) + ", " + afterFirst
                            + " after step 1: " + (live - afterFirst) + " arrays leaked by the scoped steps");
                }
            }
        } finally {
            x.close();
            y.close();
            for (Tensor p : params) {
                p.zeroGrad();
                p.close();
            }
        }
        long end = b.liveArrays();
        if (end != start) {
            throw new AssertionError("live arrays " + end + " after closing data and parameters, " + start + " before");
        }
        if (!(lastLoss < firstLoss)) {
            throw new AssertionError("the loss did not fall (" + firstLoss + " to " + lastLoss + "): the steps did not train");
        }
    }

    private static float[] scale(float[] v, float s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return v;
    }
}
