package dev.vae.models.vae;

/** How a {@link VAE}'s parameters are named (so that the equivalent PyTorch module loads them). */
public enum ParameterNaming {
    /**
     * The pytorch/examples VAE, for one hidden layer on each side: {@code fc1} (input to hidden),
     * {@code fc21} (mean head), {@code fc22} (log-variance head), {@code fc3} (latent to hidden),
     * {@code fc4} (hidden to output).
     */
    PYTORCH_EXAMPLES,
    /**
     * Any depth: {@code encoder} and {@code decoder} are {@code torch.nn.Sequential} stacks of
     * linear layers and activations ({@code encoder.0.weight}, {@code encoder.2.weight}, ...;
     * the decoder ends in a linear layer), with heads {@code fc_mu} and {@code fc_logvar}.
     */
    SEQUENTIAL
}
