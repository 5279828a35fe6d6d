/**
 * Gradient-based optimizers with PyTorch semantics ({@link dev.vae.api.optim.Sgd},
 * {@link dev.vae.api.optim.Adam}, {@link dev.vae.api.optim.AdamW},
 * {@link dev.vae.api.optim.RmsProp}, {@link dev.vae.api.optim.Adagrad}) over a named parameter map,
 * and {@link dev.vae.api.optim.GradientClipping}.
 *
 * <p>An {@link dev.vae.api.optim.Optimizer} updates the parameters in place; each
 * {@link dev.vae.api.optim.Optimizer#step() step} runs its temporaries in its own
 * {@link dev.vae.api.Scope}, so a step leaks nothing. Optimizer state (moments, buffers, per
 * parameter step counts) lives in caller-owned tensors released by
 * {@link dev.vae.api.optim.Optimizer#close()}, and can be exported to and imported from host
 * arrays keyed like PyTorch's state ({@code "fc1.weight.exp_avg"}) as an
 * {@link dev.vae.api.optim.OptimizerState}, so that a resumed run continues bit for bit.
 */
package dev.vae.api.optim;
