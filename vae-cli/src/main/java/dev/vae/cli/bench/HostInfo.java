package dev.vae.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The machine a benchmark ran on, as far as it matters for reading the numbers: when, which CPU,
 * how many processors, and how busy the machine was (load averages; other processes sharing the
 * cores distort every timing).
 *
 * @param date        ISO-8601 date and time with offset
 * @param cpu         the CPU model ({@code /proc/cpuinfo}), or the JVM's architecture
 * @param processors  processors available to the JVM
 * @param os          operating system name and version
 * @param javaVersion Java version and VM
 * @param load        the 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or null
 */
public record HostInfo(String date, String cpu, int processors, String os, String javaVersion, double[] load) {
    /** @return the current machine and load */
    public static HostInfo current() {
        return new HostInfo(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")", currentLoad());
    }

    /** @return the 1, 5 and 15 minute load averages, or null where {@code /proc/loadavg} is missing */
    public static double[] currentLoad() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return l < 0 ? null : new double[] {l, Double.NaN, Double.NaN};
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall back to the architecture
        }
        return System.getProperty("os.arch");
    }

    /** @return the load averages as {@code "1.23 0.98 0.50"}, or {@code "unknown"} */
    public String loadText() {
        return format(load);
    }

    /** @return load averages formatted as in {@link #loadText()} */
    public static String format(double[] load) {
        if (load == null) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder();
        for (double l : load) {
            if (!Double.isNaN(l)) {
                sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", l));
            }
        }
        return sb.toString();
    }
}
