package dev.vae.cli;

import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root {@code vae} command: global options and the list of subcommands. */
@Command(name = "vae", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Variational autoencoders and free-energy samplers on pluggable compute backends.",
        subcommands = {BackendsCommand.class, TrainCommand.class, EvalCommand.class, SampleCommand.class,
                ReconstructCommand.class, dev.vae.cli.bench.BenchCommand.class,
                dev.vae.cli.jmh.JmhCommand.class, dev.vae.cli.physics.QuickstartCommand.class,
                dev.vae.cli.physics.McmcCommand.class, dev.vae.cli.physics.FreeEnergyCommand.class, CommandLine.HelpCommand.class})
public final class VaeCommand implements Runnable {
    private final GlobalOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    VaeCommand(GlobalOptions options) {
        this.options = options;
    }

    @Option(names = "--backend", paramLabel = "NAME", scope = CommandLine.ScopeType.INHERIT,
            description = "compute backend (jvm, nd4j, djl, cuda, ...); default: -Dvae.backend, then $VAE_BACKEND, then the highest-priority available")
    void backend(String name) {
        options.set(name, options.threads(), options.debug());
    }

    @Option(names = "--threads", paramLabel = "N", scope = CommandLine.ScopeType.INHERIT,
            description = "compute threads for the backend (default: all processors)")
    void threads(int n) {
        if (n < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 0, got " + n);
        }
        options.set(options.backend(), n, options.debug());
    }

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "show stack traces on errors")
    void debug(boolean on) {
        options.set(options.backend(), options.threads(), on);
    }

    /** @return the global options shared with subcommands */
    GlobalOptions options() {
        return options;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
