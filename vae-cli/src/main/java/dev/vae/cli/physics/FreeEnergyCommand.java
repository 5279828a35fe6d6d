package dev.vae.cli.physics;

import dev.vae.cli.output.Bars;

import dev.vae.api.Backend;
import dev.vae.cli.BackendSelector;
import dev.vae.models.physics.EnergyModel;
import dev.vae.models.physics.Systems;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vae free-energy}: trains a free-energy sampler for a system at one temperature and prints
 * every estimate (variational bound, importance-sampling F with its error bar, effective sample
 * size, reweighted observables, the independence Metropolis–Hastings chain) beside the exact value
 * and an MCMC baseline's effective samples per second.
 */
@Command(name = "free-energy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a free-energy sampler (reverse-KL variational free energy) and estimate F, observables and "
                + "effective samples per second beside the exact values and an MCMC baseline.",
                "Systems: ising:L=8,J=1,h=0 | gmm:D=2,sep=8,w0=0.3 | double-well:D=2,a=0,b=-4,c=1 | muller-brown:scale=1.",
                "Writes OUT/metrics.json (or --metrics-json), OUT/training.png, OUT/log-weights.png and OUT/samples.png."})
public final class FreeEnergyCommand implements Callable<Integer> {
    private final BackendSelector selector;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--system", required = true, paramLabel = "SPEC", description = "the system, e.g. ising:L=8 or gmm:D=2,sep=8,w0=0.3")
    String system;
    @Option(names = "--beta", required = true, paramLabel = "BETA", description = "inverse temperature")
    double beta;
    @Option(names = "--generator", paramLabel = "KIND",
            description = "made (autoregressive, spins only), latent (VAE parts) or auto: made for spins, latent otherwise (default: ${DEFAULT-VALUE})")
    String generator = "auto";
    @Option(names = "--hidden", split = ",", paramLabel = "N",
            description = "hidden widths (default: made [clamp(L*L, 32, 256)], latent [64,64])")
    List<Integer> hidden;
    @Option(names = "--latent", paramLabel = "N", description = "latent dimension of the latent generator (default: ${DEFAULT-VALUE})")
    int latent = 2;
    @Option(names = "--k", paramLabel = "K", description = "importance samples per configuration for ln q of the latent generator (default: ${DEFAULT-VALUE})")
    int k = 4;
    @Option(names = "--symmetric", negatable = true, description = "symmetrise the made generator under a global spin flip (default: on for Ising in zero field)")
    Boolean symmetric;
    @Option(names = "--steps", paramLabel = "N", description = "training steps (default: ${DEFAULT-VALUE})")
    int steps = 1000;
    @Option(names = "--batch", paramLabel = "N", description = "samples per training step (default: made 500, latent 256)")
    Integer batch;
    @Option(names = "--lr", paramLabel = "RATE", description = "initial learning rate (default: made 5e-3, latent 3e-3)")
    Double lr;
    @Option(names = "--final-lr", paramLabel = "RATE", description = "learning rate at the last step, cosine schedule (default: lr/10)")
    Double finalLr;
    @Option(names = "--anneal-start", paramLabel = "F", description = "beta starts at F*beta (default: made 0.3, latent 0.2; 1 = no annealing)")
    Double annealStart;
    @Option(names = "--anneal-fraction", paramLabel = "F", description = "fraction of the steps over which beta rises (default: ${DEFAULT-VALUE})")
    double annealFraction = 0.4;
    @Option(names = "--clip-norm", paramLabel = "NORM", description = "clip the global gradient norm (0: off) (default: ${DEFAULT-VALUE})")
    double clipNorm = 10;
    @Option(names = "--data-weight", paramLabel = "W",
            description = "weight of the forward-KL data term on MCMC configurations (default: 0 for spins, 1 for continuous systems)")
    Double dataWeight;
    @Option(names = "--data-samples", paramLabel = "N", description = "MCMC configurations for the data term (default: ${DEFAULT-VALUE})")
    int dataSamples = 10_000;
    @Option(names = "--data-fraction", paramLabel = "F",
            description = "the data weight decays linearly to 0 over this fraction of the steps (0: constant) (default: ${DEFAULT-VALUE})")
    double dataFraction = 0.5;
    @Option(names = "--data-init-scale", paramLabel = "S",
            description = "the data chains start from N(0, S^2) (continuous systems) (default: ${DEFAULT-VALUE})")
    double dataInitScale = 2;
    @Option(names = "--samples", paramLabel = "N", description = "samples drawn for the estimates (default: ${DEFAULT-VALUE})")
    int samples = 100_000;
    @Option(names = "--sample-batch", paramLabel = "N", description = "samples per generator call when estimating (default: ${DEFAULT-VALUE})")
    int sampleBatch = 10_000;
    @Option(names = "--baseline-steps", paramLabel = "N",
            description = "MCMC baseline length: sweeps for Ising (default 20000), steps of 64 MALA chains otherwise (default 2000)")
    Integer baselineSteps;
    @Option(names = "--seed", paramLabel = "N", description = "seed (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--float64", description = "float64 parameters where the backend supports them")
    boolean float64;
    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("free-energy-run");
    @Option(names = "--metrics-json", paramLabel = "FILE", description = "where to write the JSON summary (default: OUT/metrics.json)")
    Path metricsJson;
    @Option(names = "--no-plots", description = "do not write PNG plots")
    boolean noPlots;
    @Option(names = "--no-progress", description = "do not draw progress bars")
    boolean noProgress;

    /** @param selector opens the backend chosen by the global options */
    @Inject
    public FreeEnergyCommand(BackendSelector selector) {
        this.selector = selector;
    }

    FreeEnergyRun.Settings settings() {
        FreeEnergyRun.Settings s = new FreeEnergyRun.Settings();
        s.generator = generator;
        s.hidden = hidden;
        s.latent = latent;
        s.importanceSamples = k;
        s.symmetric = symmetric;
        s.steps = steps;
        s.batch = batch;
        s.lr = lr;
        s.finalLr = finalLr;
        s.annealStart = annealStart;
        s.annealFraction = annealFraction;
        s.clipNorm = clipNorm;
        s.dataWeight = dataWeight;
        s.dataSamples = dataSamples;
        if (!(dataFraction >= 0)) {
            throw new IllegalArgumentException("--data-fraction must be >= 0, got " + dataFraction);
        }
        s.dataFraction = dataFraction;
        s.dataInitScale = dataInitScale;
        s.samples = samples;
        s.sampleBatch = sampleBatch;
        s.baselineSteps = baselineSteps;
        s.seed = seed;
        s.float64 = float64;
        return s;
    }

    @Override
    public Integer call() {
        EnergyModel model = Systems.parse(system);
        if (steps < 1 || latent < 1 || k < 1 || dataSamples < 1 || (baselineSteps != null && baselineSteps < 1)) {
            throw new IllegalArgumentException("--steps, --latent, --k, --data-samples and --baseline-steps must be >= 1");
        }
        FreeEnergyRun.Settings s = settings();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output directory " + out + ": " + e.getMessage(), e);
        }
        PrintWriter so = spec.commandLine().getOut();
        Bars bars = new Bars(spec.commandLine().getErr(), !noProgress);
        try (Backend b = selector.open()) {
            FreeEnergyRun run = new FreeEnergyRun(model, beta, s, so, bars);
            FreeEnergyRun.Result r = run.run(b, noPlots ? null : out);
            r.json().addProperty("backend", b.name());
            Path file = metricsJson != null ? metricsJson : out.resolve("metrics.json");
            Json.write(file, r.json());
            so.printf("%nwrote %s%s%n", file, noPlots ? "" : " and the plots training.png, log-weights.png, samples.png in " + out);
            so.flush();
        }
        return 0;
    }
}
