package dev.vae.conformance;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.Tensor;
import dev.vae.api.dist.Bernoulli;
import dev.vae.api.dist.DiagonalGaussian;
import dev.vae.api.nn.Init;
import dev.vae.api.nn.Linear;
import dev.vae.api.nn.Module;
import dev.vae.api.random.Rng;

/**
 * The VAE of pytorch/examples ({@code fc1: in -> hidden, ReLU; fc21, fc22: hidden -> latent (mu,
 * logvar); fc3: latent -> hidden, ReLU; fc4: hidden -> in}, a Bernoulli decoder on logits), at
 * any size: 784-400-20 is the original. Parameters get PyTorch's default initialisation drawn on
 * the host from a seed and rounded to a chosen dtype, so the same seed gives the same starting
 * point on every backend, in float32 or float64.
 */
final class TinyVae extends Module {
    private final Linear fc1;
    private final Linear fc21;
    private final Linear fc22;
    private final Linear fc3;
    private final Linear fc4;
    private final int latent;

    /**
     * @param b the backend
     * @param dtype the parameters' dtype on the backend
     * @param values the dtype the initial values are rounded to (the sample's dtype)
     * @param in input size
     * @param hidden hidden size
     * @param latent latent size
     * @param seed initialisation seed
     */
    TinyVae(Backend b, DType dtype, DType values, int in, int hidden, int latent, long seed) {
        Rng rng = new Rng(seed, 0, 0);
        this.latent = latent;
        fc1 = register("fc1", layer(b, dtype, values, rng, in, hidden));
        fc21 = register("fc21", layer(b, dtype, values, rng, hidden, latent));
        fc22 = register("fc22", layer(b, dtype, values, rng, hidden, latent));
        fc3 = register("fc3", layer(b, dtype, values, rng, latent, hidden));
        fc4 = register("fc4", layer(b, dtype, values, rng, hidden, in));
    }

    /** @return a Linear layer with PyTorch's default initial values, rounded to {@code values} */
    static Linear layer(Backend b, DType dtype, DType values, Rng rng, int in, int out) {
        double[] w = Harness.round(Init.PYTORCH_DEFAULT.weightValues(rng, out, in), values);
        double[] bias = Harness.round(Init.PYTORCH_DEFAULT.biasValues(rng, out, in), values);
        return new Linear(Init.parameter(b, dtype, w, out, in), Init.parameter(b, dtype, bias, out));
    }

    /** @return the latent size */
    int latent() {
        return latent;
    }

    /** @return q(z|x) */
    DiagonalGaussian encode(Tensor x) {
        Tensor h = fc1.forward(x).relu();
        return new DiagonalGaussian(fc21.forward(h), fc22.forward(h));
    }

    /** @return p(x|z), Bernoulli on logits */
    Bernoulli decode(Tensor z) {
        return new Bernoulli(fc4.forward(fc3.forward(z).relu()));
    }

    /** Not used: the VAE is applied through {@link #encode} and {@link #decode}. */
    @Override
    public Tensor forward(Tensor x) {
        return decode(encode(x).mu()).logits();
    }
}
