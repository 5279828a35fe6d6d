/**
 * Data sets and the readers that load them: IDX (the MNIST family, raw or gzip), NumPy
 * {@code .npy} (read and write) and CSV. Every reader validates what it reads (magic numbers,
 * sizes, truncation, non-finite values) and fails with a single {@link
 * dev.vae.models.data.DataFormatException} naming the file and the problem. A {@link
 * dev.vae.models.data.Dataset} is a float32 feature matrix (n, d) with optional labels; named
 * data sets are found through {@link dev.vae.models.data.DatasetProvider}s.
 */
package dev.vae.models.data;
