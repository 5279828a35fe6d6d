/** Deliberately broken backend providers that prove discovery survives them. */
package dev.vae.cli.broken;
