/**
 * {@code vae bench}: measures the standard recipe (the pytorch/examples VAE) on every backend —
 * step time, throughput, memory, where a step's time goes (through the {@link
 * dev.vae.cli.bench.TimingKernels} decorator), the distance from the machine's compute floor —
 * and, optionally, against PyTorch timed in the same invocation.
 */
package dev.vae.cli.bench;
