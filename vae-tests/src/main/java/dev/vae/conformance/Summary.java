package dev.vae.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of a conformance run: for one backend, the passed / failed / skipped counts of each
 * check group and the time it took, the reasons for skips, and the failure messages. Printed at the end of a suite and
 * written to {@code target/conformance-<backend>.txt} (the directory can be changed with the
 * system property {@value #DIR_PROPERTY}).
 */
public final class Summary {
    /** System property naming the directory the summary file is written to (default {@code target}). */
    public static final String DIR_PROPERTY = "vae.conformance.reportDir";
    private static final int MAX_FAILURES_LISTED = 50;

    private final String backend;
    private final Map<CheckGroup, int[]> counts = new EnumMap<>(CheckGroup.class);
    private final Map<CheckGroup, long[]> nanos = new EnumMap<>(CheckGroup.class);
    private final Map<String, Integer> skipReasons = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private String unavailable;
    private String device = "";

    /** @param backend the backend's name */
    public Summary(String backend) {
        this.backend = backend;
    }

    /** Records one outcome. */
    public synchronized void record(Outcome o) {
        int[] c = counts.computeIfAbsent(o.check().group(), g -> new int[3]);
        c[o.status().ordinal()]++;
        nanos.computeIfAbsent(o.check().group(), g -> new long[1])[0] += o.nanos();
        if (o.status() == Outcome.Status.SKIPPED) {
            skipReasons.merge(o.check().group().label() + ": " + o.message(), 1, Integer::sum);
        } else if (o.status() == Outcome.Status.FAILED) {
            failures.add(o.message());
        }
    }

    /** Marks the backend unavailable on this machine, with the probe's reason. */
    public synchronized void unavailable(String reason) {
        this.unavailable = reason;
    }

    /** Sets the device description printed in the header. */
    public synchronized void device(String description) {
        this.device = description == null ? "" : description;
    }

    /** @return the number of checks in {@code group} with {@code status} */
    public synchronized int count(CheckGroup group, Outcome.Status status) {
        int[] c = counts.get(group);
        return c == null ? 0 : c[status.ordinal()];
    }

    /** @return the number of checks with {@code status} over all groups */
    public synchronized int total(Outcome.Status status) {
        int n = 0;
        for (int[] c : counts.values()) {
            n += c[status.ordinal()];
        }
        return n;
    }

    /** @return the failure messages recorded so far */
    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** @return the table as text */
    public synchronized String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("Conformance of backend '").append(backend).append('\'');
        if (!device.isEmpty()) {
            sb.append(" (").append(device).append(')');
        }
        sb.append('\n');
        if (unavailable != null) {
            sb.append("  UNAVAILABLE on this machine, every check skipped: ").append(unavailable).append('\n');
        }
        String fmt = "  %-20s %8s %8s %8s %9s%n";
        sb.append(String.format(Locale.ROOT, fmt, "group", "passed", "failed", "skipped", "seconds"));
        int[] tot = new int[3];
        long totNanos = 0;
        for (CheckGroup g : CheckGroup.values()) {
            int[] c = counts.get(g);
            if (c == null) {
                if (unavailable != null) {
                    sb.append(String.format(Locale.ROOT, fmt, g.label(), "-", "-", "all", "-"));
                }
                continue;
            }
            if (unavailable != null) {
                sb.append(String.format(Locale.ROOT, fmt, g.label(), "-", "-", "all", "-"));
                continue;
            }
            long ns = nanos.get(g)[0];
            totNanos += ns;
            for (int i = 0; i < 3; i++) {
                tot[i] += c[i];
            }
            sb.append(String.format(Locale.ROOT, fmt, g.label(), c[0], c[1], c[2], seconds(ns)));
        }
        if (unavailable == null) {
            sb.append(String.format(Locale.ROOT, fmt, "total", tot[0], tot[1], tot[2], seconds(totNanos)));
        }
        if (!skipReasons.isEmpty() && unavailable == null) {
            sb.append("  skipped, with reasons:\n");
            skipReasons.forEach((r, n) -> sb.append("    ").append(n).append(" x ").append(r).append('\n'));
        }
        if (!failures.isEmpty()) {
            sb.append("  failures:\n");
            for (int i = 0; i < Math.min(MAX_FAILURES_LISTED, failures.size()); i++) {
                sb.append("    ").append(failures.get(i).replace("\n", "\n      ")).append('\n');
            }
            if (failures.size() > MAX_FAILURES_LISTED) {
                sb.append("    ... and ").append(failures.size() - MAX_FAILURES_LISTED).append(" more\n");
            }
        }
        return sb.toString();
    }

    private static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1e9);
    }

    /** @return the file the summary is written to: {@code <dir>/conformance-<backend>.txt} */
    public Path file() {
        String dir = System.getProperty(DIR_PROPERTY, "target");
        return Paths.get(dir, "conformance-" + backend.replaceAll("[^A-Za-z0-9._-]", "_") + ".txt");
    }

    /**
     * Prints the table to standard output and writes it to {@link #file()}.
     *
     * @return the file written
     * @throws IOException if the file cannot be written
     */
    public Path publish() throws IOException {
        String text = render();
        System.out.println(text);
        Path f = file();
        if (f.getParent() != null) {
            Files.createDirectories(f.getParent());
        }
        Files.write(f, text.getBytes(StandardCharsets.UTF_8));
        return f;
    }
}
