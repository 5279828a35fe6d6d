/**
 * The backend SPI: what an implementer of a compute backend reads. A backend provides a
 * {@link dev.vae.api.spi.BackendProvider} (registered with {@link java.util.ServiceLoader}) that
 * creates {@link dev.vae.api.spi.Kernels} over its own {@link dev.vae.api.spi.DeviceArray}s. Fused
 * kernels are optional; {@link dev.vae.api.spi.Compositions} holds their reference definitions.
 * The conformance suite in {@code vae-tests} proves an implementation.
 */
package dev.vae.api.spi;
