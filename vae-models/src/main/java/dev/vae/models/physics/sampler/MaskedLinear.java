package dev.vae.models.physics.sampler;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Tensor;
import dev.vae.api.nn.Init;
import dev.vae.api.nn.Module;
import dev.vae.api.random.Rng;

/**
 * A dense layer whose weight is multiplied by a fixed binary mask, {@code y = x (W * M)^T + b}, the
 * building block of MADE (Germain et al. 2015). The parameters are named like a
 * {@link dev.vae.api.nn.Linear} ({@code "weight"}, {@code "bias"}); the mask is a constant, not a parameter.
 */
public final class MaskedLinear extends Module {
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor mask;
    private final int in;
    private final int out;

    /**
     * @param backend where the parameters live
     * @param mask    {@code out x in} values in {0, 1}, row-major
     * @param in      input features
     * @param out     output features
     * @param bias    whether the layer has a bias
     * @param dtype   the element type
     * @param rng     generator of the initial weights
     */
    public MaskedLinear(Backend backend, double[] mask, int in, int out, boolean bias, DType dtype, Rng rng) {
        if (mask.length != in * out) {
            throw new IllegalArgumentException("mask has " + mask.length + " entries for a " + out + " x " + in + " weight");
        }
        // initialise with the effective fan-in of the mask (mean number of connections per output)
        int connections = 0;
        for (double m : mask) {
            connections += m != 0 ? 1 : 0;
        }
        int fanIn = Math.max(1, connections / Math.max(1, out));
        double bound = 1 / Math.sqrt(fanIn);
        double[] w = rng.uniformDoubles(in * out);
        for (int i = 0; i < w.length; i++) {
            w[i] = bound * (2 * w[i] - 1) * mask[i];
        }
        this.in = in;
        this.out = out;
        this.weight = registerParameter("weight", Init.parameter(backend, dtype, w, out, in));
        this.bias = bias ? registerParameter("bias", Init.parameter(backend, dtype, new double[out], out)) : null;
        this.mask = backend.tensor(mask, dtype, out, in).untrack();
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.linear(weight.mul(mask), bias);
    }

    @Override
    public void close() {
        super.close();
        mask.close();
    }

    @Override
    public String toString() {
        return "MaskedLinear(in=" + in + ", out=" + out + ")";
    }
}
