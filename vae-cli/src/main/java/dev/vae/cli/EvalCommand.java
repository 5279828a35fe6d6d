package dev.vae.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.vae.api.Backend;
import dev.vae.api.Tensor;
import dev.vae.api.random.Rng;
import dev.vae.models.data.DataSplit;
import dev.vae.models.data.Dataset;
import dev.vae.models.eval.ElboReport;
import dev.vae.models.eval.Evaluator;
import dev.vae.models.eval.IwaeReport;
import dev.vae.models.io.AtomicFiles;
import dev.vae.models.train.TrainingCheckpoint;
import dev.vae.models.vae.VAE;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vae eval}: honest test-set evaluation of a checkpoint. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint on a test set: negative ELBO per example with its reconstruction and KL parts, "
                + "KL per latent dimension, active units, and an importance-weighted estimate of -log p(x).")
final class EvalCommand implements Callable<Integer> {
    private final BackendSelector selector;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "a checkpoint written by vae train")
    Path checkpoint;
    @Mixin
    DataOptions data = new DataOptions();
    @Option(names = "--batch-size", paramLabel = "N", description = "examples per batch (default: ${DEFAULT-VALUE})")
    int batchSize = 128;
    @Option(names = "--seed", paramLabel = "N", description = "seed of the latent samples (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--iwae-k", paramLabel = "K", description = "importance samples per example (0: skip) (default: ${DEFAULT-VALUE})")
    int iwaeK = 100;
    @Option(names = "--iwae-n", paramLabel = "N", description = "test examples for the IWAE estimate, 0 for all (default: ${DEFAULT-VALUE})")
    int iwaeN = 1000;
    @Option(names = "--iwae-chunk", paramLabel = "C", description = "samples decoded at once, bounds memory (default: ${DEFAULT-VALUE})")
    int iwaeChunk = 10;
    @Option(names = "--metrics-json", paramLabel = "FILE", description = "also write the results as one JSON object")
    Path metricsJson;

    @Inject
    EvalCommand(BackendSelector selector) {
        this.selector = selector;
    }

    @Override
    public Integer call() {
        if (batchSize < 1 || iwaeK < 0 || iwaeN < 0 || iwaeChunk < 1) {
            throw new IllegalArgumentException("--batch-size and --iwae-chunk must be >= 1, --iwae-k and --iwae-n >= 0");
        }
        TrainingCheckpoint.Contents c = TrainingCheckpoint.read(checkpoint);
        DataSplit split = data.load();
        Dataset test = split.test();
        if (test.dim() != c.model().inputDim()) {
            throw new IllegalArgumentException("the model in " + checkpoint + " takes " + c.model().inputDim() + " features but "
                    + test.name() + " has " + test.dim());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Backend b = selector.open(); VAE model = TrainingCheckpoint.loadModel(checkpoint, b);
             Tensor x = test.toTensor(b).cast(c.model().dtype()).untrack()) {
            long t0 = System.nanoTime();
            ElboReport e = Evaluator.elbo(model, x, batchSize, new Rng(seed).split(1));
            out.printf(Locale.ROOT, "%s on %s (%d examples), backend %s%n", checkpoint, test.name(), e.examples(), b.name());
            out.printf(Locale.ROOT, "negative ELBO %.4f nats per example = reconstruction %.4f + KL %.4f%n", e.loss(), e.reconstruction(), e.kl());
            out.printf(Locale.ROOT, "active units %d of %d (Var_x E_q[z] > %.2f)%n", e.activeUnits(), c.model().latentDim(), e.activityThreshold());
            StringBuilder kl = new StringBuilder("KL per dimension:");
            for (double v : e.klPerDim()) {
                kl.append(String.format(Locale.ROOT, " %.3f", v));
            }
            out.println(kl);
            JsonObject o = new JsonObject();
            o.addProperty("checkpoint", checkpoint.toString());
            o.addProperty("dataset", test.name());
            o.addProperty("examples", e.examples());
            o.addProperty("test_loss", e.loss());
            o.addProperty("test_reconstruction", e.reconstruction());
            o.addProperty("test_kl", e.kl());
            o.addProperty("active_units", e.activeUnits());
            JsonArray kd = new JsonArray();
            for (double v : e.klPerDim()) {
                kd.add(v);
            }
            o.add("kl_per_dim", kd);
            if (iwaeK > 0) {
                int n = iwaeN == 0 ? test.size() : Math.min(iwaeN, test.size());
                try (Tensor head = x.slice(0, 0, n).untrack()) {
                    IwaeReport r = Evaluator.iwae(model, head, batchSize, iwaeK, iwaeChunk, new Rng(seed).split(2));
                    out.printf(Locale.ROOT, "IWAE k=%d on %d examples: -log p(x) = %.4f ± %.4f nats (negative ELBO on the same samples %.4f)%n",
                            r.k(), r.examples(), r.negLogLikelihood(), r.standardError(), r.negElbo());
                    o.addProperty("iwae_k", r.k());
                    o.addProperty("iwae_examples", r.examples());
                    o.addProperty("iwae_neg_log_likelihood", r.negLogLikelihood());
                    o.addProperty("iwae_standard_error", r.standardError());
                    o.addProperty("iwae_neg_elbo", r.negElbo());
                }
            }
            o.addProperty("seconds", (System.nanoTime() - t0) * 1e-9);
            o.addProperty("backend", b.name());
            out.flush();
            if (metricsJson != null) {
                String text = o + "\n";
                AtomicFiles.write(metricsJson, s -> s.write(text.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return 0;
    }
}
