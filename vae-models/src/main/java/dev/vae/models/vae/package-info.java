/**
 * The variational autoencoder: an MLP encoder to a diagonal-Gaussian posterior, an MLP decoder
 * to a Bernoulli (logits) or Gaussian (fixed or learned per-feature variance) likelihood, a
 * standard-normal prior ({@link dev.vae.models.vae.VAE}, configured by {@link
 * dev.vae.models.vae.VaeConfig}), and the training loss with its KL regularisation
 * ({@link dev.vae.models.vae.KlRegularizer}): β weighting (β-VAE), Burgess et al.'s capacity
 * annealing, linear KL warm-up and free bits.
 *
 * <p>Parameter names follow PyTorch: the pytorch/examples architecture uses {@code fc1},
 * {@code fc21}, {@code fc22}, {@code fc3}, {@code fc4}; deeper models use {@code encoder.0},
 * {@code fc_mu}, {@code fc_logvar}, {@code decoder.0}, ... as an equivalent
 * {@code torch.nn.Sequential} model would.
 */
package dev.vae.models.vae;
