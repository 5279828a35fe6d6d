package dev.vae.models.vae;

import dev.vae.api.Backend;
import dev.vae.api.DType;
import dev.vae.api.GradMode;
import dev.vae.api.ShapeException;
import dev.vae.api.Shapes;
import dev.vae.api.Tensor;
import dev.vae.api.dist.Bernoulli;
import dev.vae.api.dist.DiagonalGaussian;
import dev.vae.api.dist.Distribution;
import dev.vae.api.dist.StandardNormal;
import dev.vae.api.nn.Init;
import dev.vae.api.nn.Layer;
import dev.vae.api.nn.Linear;
import dev.vae.api.nn.Module;
import dev.vae.api.nn.Sequential;
import dev.vae.api.random.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A variational autoencoder with MLP encoder and decoder (Kingma and Welling 2014): the encoder
 * maps x of shape (n, d) to the posterior {@code q(z|x) = N(mu, diag(exp(logvar)))}, the decoder
 * maps z of shape (n, latent) to {@code p(x|z)} (Bernoulli logits or a Gaussian mean), the prior
 * is {@code N(0, I)}. Parameters are initialised as {@code torch.nn.Linear} does (PyTorch's
 * default), drawn from the given {@link Rng} in registration order, and named as the equivalent
 * PyTorch module would name them (see {@link ParameterNaming}).
 *
 * <p>The model is a {@link Module}: {@link #parameters()} are the live tensors an optimizer
 * updates; {@link #close()} releases them. Methods create tensors in the current scope.
 */
public final class VAE extends Module {
    private final VaeConfig config;
    private final Backend backend;
    private final Layer encoderBody;
    private final Linear muHead;
    private final Linear logvarHead;
    private final Layer decoderBody;
    private final Tensor logvarX;
    private final StandardNormal prior;

    /**
     * Creates a freshly initialised model.
     *
     * @param backend where the parameters live
     * @param config  the architecture
     * @param rng     draws the initial parameters (advanced)
     */
    public VAE(Backend backend, VaeConfig config, Rng rng) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.config = Objects.requireNonNull(config, "config");
        DType t = config.dtype();
        Activation act = config.activation();
        int d = config.inputDim();
        int latent = config.latentDim();
        if (config.naming() == ParameterNaming.PYTORCH_EXAMPLES) {
            int he = config.encoderHidden().get(0);
            int hd = config.decoderHidden().get(0);
            Linear fc1 = register("fc1", linear(backend, d, he, t, rng));
            muHead = register("fc21", linear(backend, he, latent, t, rng));
            logvarHead = register("fc22", linear(backend, he, latent, t, rng));
            Linear fc3 = register("fc3", linear(backend, latent, hd, t, rng));
            Linear fc4 = register("fc4", linear(backend, hd, d, t, rng));
            Layer a1 = act.layer();
            Layer a3 = act.layer();
            encoderBody = x -> a1.forward(fc1.forward(x));
            decoderBody = z -> fc4.forward(a3.forward(fc3.forward(z)));
        } else {
            List<Layer> enc = new ArrayList<>();
            int in = d;
            for (int h : config.encoderHidden()) {
                enc.add(linear(backend, in, h, t, rng));
                enc.add(act.layer());
                in = h;
            }
            encoderBody = register("encoder", new Sequential(enc));
            muHead = register("fc_mu", linear(backend, in, latent, t, rng));
            logvarHead = register("fc_logvar", linear(backend, in, latent, t, rng));
            List<Layer> dec = new ArrayList<>();
            in = latent;
            for (int h : config.decoderHidden()) {
                dec.add(linear(backend, in, h, t, rng));
                dec.add(act.layer());
                in = h;
            }
            dec.add(linear(backend, in, d, t, rng));
            decoderBody = register("decoder", new Sequential(dec));
        }
        if (config.likelihood() == Likelihood.GAUSSIAN_LEARNED) {
            double[] init = new double[d];
            java.util.Arrays.fill(init, Math.log(config.observationVariance()));
            logvarX = registerParameter("logvar_x", Init.parameter(backend, t, init, d));
        } else {
            logvarX = null;
        }
        prior = new StandardNormal(backend, t, latent);
    }

    private static Linear linear(Backend b, int in, int out, DType t, Rng rng) {
        return new Linear(b, in, out, true, Init.PYTORCH_DEFAULT, t, rng);
    }

    /** @return the architecture */
    public VaeConfig config() {
        return config;
    }

    /** @return the backend holding the parameters */
    public Backend backend() {
        return backend;
    }

    /** @return the prior {@code N(0, I)} over the latent space */
    public StandardNormal prior() {
        return prior;
    }

    private void checkInput(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != config.inputDim()) {
            throw new ShapeException("VAE: input " + Shapes.format(x.shape()) + " is not (n, " + config.inputDim() + ")");
        }
    }

    /**
     * @param x data of shape (n, d)
     * @return the posterior {@code q(z|x)} of shape (n, latent)
     */
    public DiagonalGaussian encode(Tensor x) {
        checkInput(x);
        Tensor h = encoderBody.forward(x);
        return new DiagonalGaussian(muHead.forward(h), logvarHead.forward(h));
    }

    /**
     * @param z latents of shape (n, latent)
     * @return the decoder's raw output of shape (n, d): logits (Bernoulli) or means (Gaussian)
     */
    public Tensor decodeRaw(Tensor z) {
        if (z.rank() != 2 || z.dim(1) != config.latentDim()) {
            throw new ShapeException("VAE: latent " + Shapes.format(z.shape()) + " is not (n, " + config.latentDim() + ")");
        }
        return decoderBody.forward(z);
    }

    /**
     * @param z latents of shape (n, latent)
     * @return the likelihood {@code p(x|z)}: a {@link Bernoulli} or a {@link DiagonalGaussian} of shape (n, d)
     */
    public Distribution decode(Tensor z) {
        Tensor out = decodeRaw(z);
        return switch (config.likelihood()) {
            case BERNOULLI -> new Bernoulli(out);
            case GAUSSIAN_FIXED -> new DiagonalGaussian(out,
                    backend.full(Math.log(config.observationVariance()), config.dtype(), out.shape()));
            case GAUSSIAN_LEARNED -> new DiagonalGaussian(out, logvarX.broadcastTo(out.shape()));
        };
    }

    /**
     * @param z latents of shape (n, latent)
     * @return the mean of {@code p(x|z)}: probabilities (Bernoulli) or means (Gaussian), (n, d)
     */
    public Tensor decodeMean(Tensor z) {
        Tensor out = decodeRaw(z);
        return config.likelihood() == Likelihood.BERNOULLI ? out.sigmoid() : out;
    }

    /** @return the deterministic reconstruction {@code E[p(x | z = mu(x))]} of x (n, d) */
    public Tensor reconstruct(Tensor x) {
        return decodeMean(encode(x).mu());
    }

    /** Same as {@link #reconstruct(Tensor)}. */
    @Override
    public Tensor forward(Tensor x) {
        return reconstruct(x);
    }

    /**
     * @param n   number of samples
     * @param rng draws the latents (advanced by n × latent normals)
     * @return decoder means at {@code n} latents drawn from the prior, shape (n, d), no gradients
     */
    public Tensor samplePrior(int n, Rng rng) {
        try (GradMode.Guard g = GradMode.disable()) {
            return decodeMean(prior.sample(rng, n, config.latentDim()));
        }
    }

    /**
     * A latent traversal: the decoder mean along one latent axis through a base point.
     *
     * @param base   a latent vector of length latent (e.g. the posterior mean of an example)
     * @param dim    the axis to vary
     * @param values the values that axis takes
     * @return shape (values.length, d), no gradients
     */
    public Tensor traverse(double[] base, int dim, double[] values) {
        int latent = config.latentDim();
        if (base.length != latent || dim < 0 || dim >= latent) {
            throw new IllegalArgumentException("traversal: base of length " + base.length + " and axis " + dim
                    + " do not fit a latent size of " + latent);
        }
        double[] z = new double[values.length * latent];
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(base, 0, z, i * latent, latent);
            z[i * latent + dim] = values[i];
        }
        try (GradMode.Guard g = GradMode.disable()) {
            return decodeMean(backend.tensor(z, config.dtype(), values.length, latent));
        }
    }

    @Override
    public String toString() {
        return "VAE" + config.toJson();
    }
}
