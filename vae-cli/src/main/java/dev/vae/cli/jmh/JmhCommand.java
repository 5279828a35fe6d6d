package dev.vae.cli.jmh;

import dev.vae.api.BackendInfo;
import dev.vae.api.Backends;
import dev.vae.cli.BackendSelector;
import dev.vae.cli.GlobalOptions;
import jakarta.inject.Inject;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vae jmh [JMH options] [benchmark regexps]}: runs the kernel microbenchmarks of {@link
 * dev.vae.cli.jmh} with JMH (the options are JMH's own: {@code -f}, {@code -wi}, {@code -i},
 * {@code -w}, {@code -r}, {@code -p}, {@code -l}, {@code -h}, ...). Forked benchmark JVMs get the
 * CLI's class path ({@code java.class.path}).
 *
 * <p>Unless the arguments set the {@code backend} parameter themselves ({@code -p backend=...}),
 * the benchmarks run on the backend chosen with {@code --backend} (or {@code -Dvae.backend},
 * {@code $VAE_BACKEND}), else on every available backend; {@code --threads N} becomes
 * {@code -p threads=N}.
 */
@Command(name = "jmh",
        description = {"Run the kernel microbenchmarks (MatmulBench, FusedBench, AdamBench) with JMH; all arguments are JMH's "
                + "(e.g. -f 1 -wi 3 -i 5 -w 1s -r 1s MatmulBench; -l lists; -h shows JMH's help).",
                "Without -p backend=..., runs on the backend chosen with --backend, else on every available one; "
                        + "--threads N becomes -p threads=N."})
public final class JmhCommand implements Callable<Integer> {
    private final BackendSelector selector;
    private final GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    List<String> jmhArgs = new ArrayList<>();

    /**
     * @param selector discovers the available backends
     * @param global   the global options ({@code --backend}, {@code --threads})
     */
    @Inject
    public JmhCommand(BackendSelector selector, GlobalOptions global) {
        this.selector = selector;
        this.global = global;
    }

    /** @return the JMH arguments with the backend and thread parameters filled in where not given */
    List<String> effectiveArguments() {
        List<String> args = new ArrayList<>(jmhArgs);
        if (!setsParameter(args, "backend")) {
            String requested = Backends.requestedName(global.backend());
            String names = requested != null ? requested
                    : String.join(",", selector.discover().stream().filter(BackendInfo::available).map(BackendInfo::name).toList());
            if (!names.isEmpty()) {
                args.add("-p");
                args.add("backend=" + names);
            }
        }
        if (global.threads() > 0 && !setsParameter(args, "threads")) {
            args.add("-p");
            args.add("threads=" + global.threads());
        }
        return args;
    }

    private static boolean setsParameter(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-p") && i + 1 < args.size() && args.get(i + 1).startsWith(name + "=")) {
                return true;
            }
            if (a.startsWith("-p" + name + "=")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Integer call() throws IOException {
        List<String> args = effectiveArguments();
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new IllegalArgumentException("jmh: " + e.getMessage() + " (vae jmh -h shows JMH's options)", e);
        }
        PrintStream stream = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        OutputFormat format = OutputFormatFactory.createFormatInstance(stream, options.verbosity().orElse(VerboseMode.NORMAL));
        Runner runner = new Runner(options, format);
        if (options.shouldHelp()) {
            options.showHelp();
            return 0;
        }
        if (options.shouldList()) {
            runner.list();
            return 0;
        }
        if (options.shouldListWithParams()) {
            runner.listWithParams(options);
            return 0;
        }
        if (options.shouldListProfilers()) {
            options.listProfilers();
            return 0;
        }
        if (options.shouldListResultFormats()) {
            options.listResultFormats();
            return 0;
        }
        try {
            runner.run();
        } catch (NoBenchmarksException e) {
            throw new IllegalArgumentException("jmh: no benchmark matches " + options.getIncludes()
                    + "; 'vae jmh -l' lists them", e);
        } catch (RunnerException e) {
            throw new IllegalStateException("jmh: " + e.getMessage(), e);
        } finally {
            stream.flush();
        }
        return 0;
    }
}
