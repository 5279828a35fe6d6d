/**
 * Files: atomic writes ({@link dev.vae.models.io.AtomicFiles}) and checkpoints in the
 * safetensors format ({@link dev.vae.models.io.SafetensorsWriter},
 * {@link dev.vae.models.io.SafetensorsReader}) with PyTorch-compatible tensor names, so that a
 * checkpoint written on one backend loads on any other and in Python. Reading validates the whole
 * header before allocating anything and fails with one {@link
 * dev.vae.models.io.CheckpointFormatException} naming the file and the field. No Java
 * serialization is used anywhere.
 */
package dev.vae.models.io;
