package dev.vae.cli.bench;

import dev.vae.models.vae.VaeConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The standard benchmark recipe, the pytorch/examples VAE as in the PyTorch anchor
 * ({@code pytorch_vae.py}): 784-400-20 with ReLU, layers fc1, fc21, fc22, fc3, fc4, a Bernoulli
 * decoder on grey-scale pixels, loss BCE(sum) + KLD, Adam with learning rate 1e-3, batch 128.
 * A training step is: gather the batch rows, the loss (with reparameterised noise), reading the
 * loss to the host, back-propagation, the Adam update, releasing the step's arrays.
 */
public final class Recipe {
    /** The Adam learning rate of the recipe. */
    public static final double LEARNING_RATE = 1e-3;
    /** The recipe's batch size. */
    public static final int BATCH = 128;
    /** Samples in one Fashion-MNIST training epoch, for projected epoch times. */
    public static final int EPOCH_SAMPLES = 60_000;

    private Recipe() {
    }

    /** @return the recipe's model: {@link VaeConfig#pytorchExamples()} */
    public static VaeConfig model() {
        return VaeConfig.pytorchExamples();
    }

    /**
     * The dense layers of a one-hidden-layer VAE, as (inputs, outputs) pairs in the order fc1,
     * fc21, fc22, fc3, fc4.
     *
     * @param c a config with one hidden layer on each side
     * @return the layers' sizes
     */
    public static List<int[]> layers(VaeConfig c) {
        List<int[]> out = new ArrayList<>();
        int in = c.inputDim();
        for (int h : c.encoderHidden()) {
            out.add(new int[] {in, h});
            in = h;
        }
        out.add(new int[] {in, c.latentDim()});
        out.add(new int[] {in, c.latentDim()});
        in = c.latentDim();
        for (int h : c.decoderHidden()) {
            out.add(new int[] {in, h});
            in = h;
        }
        out.add(new int[] {in, c.inputDim()});
        return out;
    }

    /**
     * Floating-point operations per sample of one training step, counting only the dense layers'
     * multiply-adds: {@code 2 × Σ in·out} for the forward pass, times 3 for forward plus backward
     * (the backward pass computes the gradients of the inputs and of the weights, each as costly as
     * the forward product). For the recipe this is 3,907,200 (about 3.9 MFLOP).
     *
     * @param c the model
     * @return FLOP per sample per step
     */
    public static double flopsPerSample(VaeConfig c) {
        double macs = 0;
        for (int[] l : layers(c)) {
            macs += (double) l[0] * l[1];
        }
        return 2 * macs * 3;
    }
}
