package dev.vae.cli;

import dev.vae.api.BackendInfo;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/** {@code vae backends}: every discovered backend, its priority, availability and device. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the compute backends found on the class path, whether each can run here, and why not.")
final class BackendsCommand implements Runnable {
    private final BackendSelector selector;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Inject
    BackendsCommand(BackendSelector selector) {
        this.selector = selector;
    }

    @Override
    public void run() {
        List<BackendInfo> found = selector.discover();
        PrintWriter out = spec.commandLine().getOut();
        int w = Math.max(7, found.stream().mapToInt(b -> b.name().length()).max().orElse(0));
        out.printf("%-" + w + "s  %8s  %-11s  %s%n", "backend", "priority", "status", "device / reason");
        for (BackendInfo b : found) {
            String prio = b.priority() == Integer.MIN_VALUE ? "-" : Integer.toString(b.priority());
            String status = b.available() ? "available" : "unavailable";
            String detail = b.available() ? b.probe().device() : b.probe().reason();
            out.printf("%-" + w + "s  %8s  %-11s  %s%n", b.name(), prio, status, detail);
        }
        out.flush();
    }
}
