package dev.vae.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import picocli.CommandLine;

/**
 * Entry point of the {@code vae} command. Builds the Guice injector, lets it create every
 * picocli command (so commands receive their collaborators by injection) and exits with the
 * command's status.
 */
public final class Main {
    private Main() {
    }

    /** Runs the CLI and exits the JVM with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the CLI without exiting (for tests).
     *
     * @return the exit status: 0 on success, 1 on a failure during execution, 2 on bad usage
     */
    public static int run(String... args) {
        Injector injector = Guice.createInjector(new CliModule());
        return commandLine(injector).execute(args);
    }

    /** @return the configured command line whose commands are created by {@code injector} */
    public static CommandLine commandLine(Injector injector) {
        CommandLine cl = new CommandLine(VaeCommand.class, new GuiceFactory(injector));
        cl.setExecutionExceptionHandler(new OneLineErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
