package dev.vae.cli;

import com.google.inject.AbstractModule;

/**
 * Guice wiring of the CLI. Commands and their collaborators are plain injectable classes; this
 * module binds the shared singletons.
 */
final class CliModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(GlobalOptions.class).asEagerSingleton();
        bind(BackendSelector.class);
    }
}
