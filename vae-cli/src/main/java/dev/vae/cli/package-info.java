/**
 * The {@code vae} command-line tool: picocli subcommands created by Guice. This is the only module
 * that knows backends exist, and only through {@link java.util.ServiceLoader}.
 */
package dev.vae.cli;
