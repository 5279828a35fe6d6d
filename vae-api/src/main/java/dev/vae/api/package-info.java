/**
 * The user-facing API: {@link dev.vae.api.Backend}s found by {@link dev.vae.api.Backends},
 * {@link dev.vae.api.Tensor}s with reverse-mode autodiff, memory {@link dev.vae.api.Scope}s and
 * {@link dev.vae.api.GradMode}. Everything here is backend-neutral; backends implement
 * {@link dev.vae.api.spi}.
 */
package dev.vae.api;
