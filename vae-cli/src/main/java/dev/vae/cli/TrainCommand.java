package dev.vae.cli;

import com.google.gson.JsonObject;
import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Tensor;
import dev.vae.api.optim.Optimizer;
import dev.vae.api.random.Rng;
import dev.vae.cli.output.Charts;
import dev.vae.cli.output.MetricsFile;
import dev.vae.cli.output.ProgressListener;
import dev.vae.models.data.DataSplit;
import dev.vae.models.data.Dataset;
import dev.vae.models.eval.Evaluator;
import dev.vae.models.eval.IwaeReport;
import dev.vae.models.train.LrSchedule;
import dev.vae.models.train.OptimizerSpec;
import dev.vae.models.train.TrainConfig;
import dev.vae.models.train.TrainResult;
import dev.vae.models.train.Trainer;
import dev.vae.models.train.TrainingCheckpoint;
import dev.vae.models.train.TrainingState;
import dev.vae.models.vae.Activation;
import dev.vae.models.vae.KlRegularizer;
import dev.vae.models.vae.Likelihood;
import dev.vae.models.vae.ParameterNaming;
import dev.vae.models.vae.VAE;
import dev.vae.models.vae.VaeConfig;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code vae train}: trains a VAE (the pytorch/examples recipe by default) and writes the
 * checkpoint, loss curves, reconstructions, prior samples, latent traversals and, for a 2-D latent
 * space, a scatter of the test encodings.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a VAE or beta-VAE. Defaults are the pytorch/examples recipe: 784-400-20, ReLU, Bernoulli decoder, "
                + "Adam 1e-3, batch 128, 10 epochs, seed 1.",
                "Writes OUT/model.safetensors (loadable in PyTorch), OUT/loss.png, OUT/reconstructions.png, OUT/samples.png, "
                        + "OUT/traversals.png and, for a 2-D latent space, OUT/latent.png."})
final class TrainCommand implements Callable<Integer> {
    private final BackendSelector selector;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs = 10;
    @Option(names = "--batch-size", paramLabel = "N", description = "batch size; the last partial batch is kept (default: ${DEFAULT-VALUE})")
    int batchSize = 128;
    @Option(names = "--seed", paramLabel = "N", description = "seed of initialisation, shuffling and noise (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--hidden", split = ",", paramLabel = "N", description = "encoder hidden sizes, comma-separated (default: 400)")
    List<Integer> hidden = new ArrayList<>(List.of(400));
    @Option(names = "--decoder-hidden", split = ",", paramLabel = "N", description = "decoder hidden sizes (default: the encoder's, reversed)")
    List<Integer> decoderHidden;
    @Option(names = "--latent", paramLabel = "N", description = "latent size (default: ${DEFAULT-VALUE})")
    int latent = 20;
    @Option(names = "--activation", paramLabel = "NAME", description = "relu, tanh, leaky_relu, softplus, sigmoid (default: ${DEFAULT-VALUE})")
    String activation = "relu";
    @Option(names = "--likelihood", paramLabel = "NAME", description = "bernoulli, gaussian_fixed, gaussian_learned (default: ${DEFAULT-VALUE})")
    String likelihood = "bernoulli";
    @Option(names = "--obs-variance", paramLabel = "VAR", description = "Gaussian observation variance (fixed, or initial if learned) (default: ${DEFAULT-VALUE})")
    double obsVariance = 1.0;
    @Option(names = "--float64", description = "train in float64 (where the backend supports it)")
    boolean float64;
    @Option(names = "--optimizer", paramLabel = "NAME", description = "adam, adamw, sgd, rmsprop, adagrad (default: ${DEFAULT-VALUE})")
    String optimizer = "adam";
    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default: ${DEFAULT-VALUE})")
    double lr = 1e-3;
    @Option(names = "--weight-decay", paramLabel = "W", description = "weight decay (default: ${DEFAULT-VALUE})")
    double weightDecay = 0;
    @Option(names = "--momentum", paramLabel = "M", description = "momentum for sgd and rmsprop (default: ${DEFAULT-VALUE})")
    double momentum = 0;
    @Option(names = "--lr-schedule", paramLabel = "SPEC", description = "constant, step:EVERY_EPOCHS:GAMMA or cosine[:MIN_LR] (default: ${DEFAULT-VALUE})")
    String schedule = "constant";
    @Option(names = "--clip-norm", paramLabel = "NORM", description = "clip the global gradient norm (0: off) (default: ${DEFAULT-VALUE})")
    double clipNorm = 0;
    @Option(names = "--beta", paramLabel = "BETA", description = "KL weight (beta-VAE) (default: ${DEFAULT-VALUE})")
    double beta = 1;
    @Option(names = "--capacity", paramLabel = "GAMMA:CMAX:STEPS",
            description = "capacity annealing gamma*|KL - C|, C rising linearly to CMAX nats over STEPS steps (replaces --beta)")
    String capacity;
    @Option(names = "--warmup-steps", paramLabel = "N", description = "linear KL warm-up over N steps (default: ${DEFAULT-VALUE})")
    long warmupSteps = 0;
    @Option(names = "--free-bits", paramLabel = "NATS", description = "floor on each latent dimension's batch-average KL (default: ${DEFAULT-VALUE})")
    double freeBits = 0;
    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("vae-run");
    @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "also checkpoint every STEPS steps (default: after each epoch only)")
    long checkpointEvery = 0;
    @Option(names = "--resume", paramLabel = "FILE", description = "resume from a training checkpoint (model and settings come from it; --epochs may extend the run)")
    Path resume;
    @Option(names = "--metrics-json", paramLabel = "FILE", description = "write one JSON object per epoch (JSON Lines)")
    Path metricsJson;
    @Option(names = "--no-plots", description = "do not write PNG plots")
    boolean noPlots;
    @Option(names = "--no-progress", description = "do not draw progress bars")
    boolean noProgress;
    @Option(names = "--iwae-k", paramLabel = "K", description = "after training, estimate -log p(x) with K importance samples (0: skip) (default: ${DEFAULT-VALUE})")
    int iwaeK = 0;
    @Option(names = "--iwae-n", paramLabel = "N", description = "test examples for the IWAE estimate (default: ${DEFAULT-VALUE})")
    int iwaeN = 1000;

    @Inject
    TrainCommand(BackendSelector selector) {
        this.selector = selector;
    }

    private KlRegularizer regularizer() {
        KlRegularizer r;
        if (capacity != null) {
            String[] p = capacity.split(":");
            if (p.length != 3) {
                throw new IllegalArgumentException("--capacity must be GAMMA:CMAX:STEPS, got '" + capacity + "'");
            }
            try {
                r = KlRegularizer.capacity(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Long.parseLong(p[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--capacity must be GAMMA:CMAX:STEPS with numbers, got '" + capacity + "'");
            }
        } else {
            r = KlRegularizer.beta(beta);
        }
        return r.withWarmup(warmupSteps).withFreeBits(freeBits);
    }

    private VaeConfig modelConfig(Dataset train) {
        List<Integer> dec = decoderHidden;
        if (dec == null) {
            dec = new ArrayList<>(hidden);
            java.util.Collections.reverse(dec);
        }
        ParameterNaming naming = hidden.size() == 1 && dec.size() == 1 ? ParameterNaming.PYTORCH_EXAMPLES : ParameterNaming.SEQUENTIAL;
        return new VaeConfig(train.dim(), hidden, dec, latent, Activation.parse(activation), Likelihood.parse(likelihood),
                obsVariance, naming, float64 ? DType.FLOAT64 : DType.FLOAT32, train.sampleShape());
    }

    private static void checkRange(VaeConfig c, Dataset train) {
        float[] r = train.range();
        if (c.likelihood() == Likelihood.BERNOULLI && (r[0] < 0 || r[1] > 1)) {
            throw new IllegalArgumentException("the Bernoulli likelihood needs features in [0, 1] but " + train.name() + " spans ["
                    + r[0] + ", " + r[1] + "]; use --scale or --likelihood gaussian_fixed");
        }
    }

    @Override
    public Integer call() {
        // validate everything before anything is written
        TrainingCheckpoint.Contents resumed = resume == null ? null : TrainingCheckpoint.read(resume);
        if (resumed != null && (resumed.train() == null || resumed.state() == null)) {
            throw new IllegalArgumentException(resume + ": not a training checkpoint (no training settings or state)");
        }
        DataSplit split = data.load();
        VaeConfig config = resumed != null ? resumed.model() : modelConfig(split.train());
        if (config.inputDim() != split.train().dim()) {
            throw new IllegalArgumentException("the model takes " + config.inputDim() + " features but " + split.train().name()
                    + " has " + split.train().dim());
        }
        checkRange(config, split.train());
        Path ckpt = out.resolve("model.safetensors");
        TrainConfig tc = resumed != null
                ? TrainConfig.fromJson(resumed.train().toJson(), ckpt).withEpochs(Math.max(epochs, resumed.train().epochs()))
                : new TrainConfig(epochs, batchSize, seed, new OptimizerSpec(optimizer, lr, weightDecay, momentum),
                        LrSchedule.parse(schedule), clipNorm, regularizer(), batchSize, true, ckpt, checkpointEvery);
        if (iwaeK < 0 || iwaeN < 0) {
            throw new IllegalArgumentException("--iwae-k and --iwae-n must be >= 0");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output directory " + out + ": " + e.getMessage(), e);
        }
        PrintWriter so = spec.commandLine().getOut();
        PrintWriter se = spec.commandLine().getErr();
        MetricsFile metrics = metricsJson == null ? null : new MetricsFile(metricsJson);
        try (Backend b = selector.open();
             VAE model = new VAE(b, config, new Rng(tc.seed()));
             Optimizer opt = tc.optimizer().create(model.parameters())) {
            so.printf(Locale.ROOT, "training %s (%d train, %d test, %d features) on %s: %s%n", split.train().name(),
                    split.train().size(), split.test().size(), config.inputDim(), b.name(), b.description());
            TrainingState start = resumed != null ? Trainer.resume(resume, model, opt) : TrainingState.initial();
            ProgressListener progress = new ProgressListener(so, se, !noProgress, m -> {
                if (metrics != null) {
                    JsonObject o = m.toJson();
                    metrics.append(o);
                }
            });
            Trainer trainer = new Trainer(tc, progress);
            TrainResult r = runInterruptibly(trainer, model, opt, split, start);
            progress.close();
            if (!noPlots && !r.history().isEmpty()) {
                writePictures(model, split, r);
            }
            if (r.status() == TrainResult.Status.DIVERGED) {
                throw new IllegalStateException(r.message());
            }
            if (iwaeK > 0 && r.status() == TrainResult.Status.COMPLETED) {
                Dataset head = split.test().head(iwaeN == 0 ? split.test().size() : iwaeN);
                try (Tensor x = head.toTensor(b).cast(config.dtype()).untrack()) {
                    IwaeReport rep = Evaluator.iwae(model, x, 100, iwaeK, Math.min(iwaeK, 10), Trainer.evalRng(tc.seed(), -1));
                    so.printf(Locale.ROOT, "IWAE k=%d on %d test examples: -log p(x) = %.4f nats (negative ELBO on the same samples %.4f)%n",
                            rep.k(), rep.examples(), rep.negLogLikelihood(), rep.negElbo());
                }
            }
            so.println(r.message());
            so.flush();
            return r.status() == TrainResult.Status.COMPLETED ? 0 : 130;
        }
    }

    /** Runs training; Ctrl-C asks it to stop after the current step and write its checkpoint. */
    private static TrainResult runInterruptibly(Trainer trainer, VAE model, Optimizer opt, DataSplit split, TrainingState start) {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vae-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return trainer.fit(model, opt, split.train(), split.test(), start);
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running
            }
        }
    }

    private void writePictures(VAE model, DataSplit split, TrainResult r) {
        ModelPictures p = new ModelPictures(model);
        Charts.lossCurves(out.resolve("loss.png"), r.history(), "VAE on " + split.train().name());
        p.reconstructions(out.resolve("reconstructions.png"), split.test(), 32, 8);
        p.samples(out.resolve("samples.png"), 64, 8, 1);
        p.traversals(out.resolve("traversals.png"), 11);
        if (model.config().latentDim() == 2) {
            p.latentScatter(out.resolve("latent.png"), split.test());
        }
    }
}
