/**
 * JMH microbenchmarks of the kernels that dominate the standard recipe (matrix products at the
 * recipe's shapes, the fused element-wise kernels, the Adam step over all the recipe's
 * parameters), on every backend, and {@code vae jmh}, which runs them. Backends are opened by name
 * through {@link dev.vae.api.Backends}, so no backend class is imported; JMH's annotation
 * processor writes the benchmark list into the CLI's jar at compile time.
 */
package dev.vae.cli.jmh;
