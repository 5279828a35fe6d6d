/**
 * Neural-network building blocks: the {@link dev.vae.api.nn.Layer} contract, the
 * {@link dev.vae.api.nn.Module} base class for composing named children, dense
 * {@link dev.vae.api.nn.Linear} layers with {@link dev.vae.api.nn.Init initialisation} schemes drawn
 * from the platform's Philox generator, parameter-free activations, {@link dev.vae.api.nn.Sequential},
 * and {@link dev.vae.api.nn.Parameters} utilities that move parameters to and from flat host arrays
 * ({@link dev.vae.api.nn.HostArray}).
 *
 * <p>Parameter names follow PyTorch's {@code named_parameters()} ({@code "fc1.weight"},
 * {@code "0.bias"}), so that checkpoints can be exchanged with the equivalent PyTorch module.
 * Parameters are caller-owned tensors (never owned by a {@link dev.vae.api.Scope}) that require
 * gradients; a layer's {@link dev.vae.api.nn.Layer#close()} releases them.
 */
package dev.vae.api.nn;
