/**
 * The conformance suite (technology-compatibility kit) of the platform's backends.
 *
 * <p>Modelled on PyTorch's {@code OpInfo}: one {@link dev.vae.conformance.OpRegistry registry}
 * describes every kernel and differentiable op with its {@link dev.vae.conformance.SampleInput
 * sample inputs} (broadcasting, rank-0, size-1 and zero-size dimensions, permuted and sliced views,
 * large and tiny magnitudes, the edges of each function's domain), its
 * {@link dev.vae.conformance.ErrorInput error inputs} and its per-dtype
 * {@link dev.vae.conformance.Tol tolerances}, each with its numerical reason. The registry drives
 * the checks of every {@link dev.vae.conformance.CheckGroup group} for every backend and dtype:
 * forward results against the float64 {@code jvm} reference, gradients against the reference and
 * against central finite differences, fused kernels against their compositions, kernel contracts,
 * Philox generation, scope release, error kinds, and (with the model packages) layers,
 * distributions, objectives, optimizer steps and short end-to-end training runs.
 *
 * <p>A backend runs the suite with one test class extending
 * {@link dev.vae.conformance.BackendConformanceSuite}; {@link dev.vae.conformance.Conformance}
 * runs it from code. Failures name the backend, the op, the input shapes and the largest error;
 * skips give their reason; a {@link dev.vae.conformance.Summary summary table} is printed and
 * written under {@code target/}.
 *
 * <p>This package depends on {@code vae-api} only: the reference backend is found at run time
 * through {@link java.util.ServiceLoader}.
 */
package dev.vae.conformance;
