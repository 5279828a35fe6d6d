package dev.vae.cli.bench;

/**
 * The measurements of one backend at one batch size.
 *
 * @param backend       the backend's name
 * @param device        its device description
 * @param asynchronous  whether its kernels run asynchronously ({@link AsyncBackends}), so that the
 *                      profiled kernel times are launch times
 * @param batch         the batch size
 * @param threads       the compute threads requested (0: the backend's default)
 * @param timing        the timed run
 * @param profile       the profiled run
 * @param ceilingGflops the backend's measured (or given) matmul ceiling
 * @param ceilingSource how the ceiling was obtained ({@code measured 2048^3} or {@code --ceiling-gflops})
 */
public record BackendRun(String backend, String device, boolean asynchronous, int batch, int threads,
                         RecipeBench.Timing timing, RecipeBench.Profile profile, double ceilingGflops,
                         String ceilingSource) {
    /** @return the median step time in ms */
    public double medianMs() {
        return Stats.quantile(timing.stepMs(), 0.5);
    }

    /** @return the 10th percentile of the step times in ms */
    public double p10Ms() {
        return Stats.quantile(timing.stepMs(), 0.1);
    }

    /** @return the 90th percentile of the step times in ms */
    public double p90Ms() {
        return Stats.quantile(timing.stepMs(), 0.9);
    }

    /** @return the mean step time in ms (what throughput is computed from) */
    public double meanMs() {
        return timing.meanMs();
    }

    /** @return training samples per second at the mean step time */
    public double samplesPerSecond() {
        return batch * 1000.0 / meanMs();
    }

    /** @return the projected seconds of one Fashion-MNIST epoch ({@value Recipe#EPOCH_SAMPLES} samples) */
    public double secondsPerEpoch() {
        return Recipe.EPOCH_SAMPLES / samplesPerSecond();
    }

    /**
     * @param flopsPerSample the recipe's FLOP per sample per step
     * @param gflops         a compute ceiling
     * @return the step time in ms if the dense layers ran at {@code gflops} and nothing else cost anything
     */
    public double floorMs(double flopsPerSample, double gflops) {
        return batch * flopsPerSample / (gflops * 1e9) * 1e3;
    }
}
