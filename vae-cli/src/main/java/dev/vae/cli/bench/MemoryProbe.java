package dev.vae.cli.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Measures the memory a benchmark run uses, from what the JVM and the operating system expose:
 * the Java heap (peak usage of the heap memory pools, {@link MemoryPoolMXBean}), garbage
 * collections ({@link GarbageCollectorMXBean}), NIO direct buffers ({@link BufferPoolMXBean}) and,
 * on Linux, the process's resident set ({@code VmRSS} and its peak {@code VmHWM} in
 * {@code /proc/self/status}), which is where native backends' off-heap memory shows. Device
 * memory is the backend's own count ({@code Kernels.deviceMemoryInUse}), sampled by
 * {@link RecipeBench} after every timed step.
 */
public final class MemoryProbe {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private long gcCountStart;
    private long gcMillisStart;
    private boolean rssPeakReset;
    private long rssStart = -1;

    /**
     * What one measured interval used.
     *
     * @param heapPeakBytes   sum over the heap pools of each pool's peak usage in the interval
     *                        (an upper bound of the heap's peak occupancy)
     * @param heapUsedEndBytes heap used at the end of the interval
     * @param gcCount         garbage collections during the interval
     * @param gcMillis        time the collectors report for those collections
     * @param directBytes     NIO direct and mapped buffer memory at the end (-1 if unknown)
     * @param rssStartBytes   resident set at the start (-1 where unavailable)
     * @param rssPeakBytes    the process's peak resident set ({@code VmHWM}; -1 where unavailable)
     * @param rssPeakInterval true if the peak was reset at the start, so that it belongs to this
     *                        interval; false if it is the peak since the process started
     */
    public record Usage(long heapPeakBytes, long heapUsedEndBytes, long gcCount, long gcMillis, long directBytes,
                        long rssStartBytes, long rssPeakBytes, boolean rssPeakInterval) {
    }

    /** Starts an interval: collects garbage, resets the heap pools' peaks and, if allowed, the RSS peak. */
    public void start() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isValid()) {
                p.resetPeakUsage();
            }
        }
        gcCountStart = gcCount();
        gcMillisStart = gcMillis();
        rssPeakReset = resetRssPeak();
        OptionalLong rss = statusKb("VmRSS:");
        rssStart = rss.isPresent() ? rss.getAsLong() * 1024 : -1;
    }

    /** @return what was used since {@link #start()} */
    public Usage stop() {
        long heapPeak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isValid() && p.getPeakUsage() != null) {
                heapPeak += p.getPeakUsage().getUsed();
            }
        }
        long heapEnd = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
        for (BufferPoolMXBean b : pools) {
            direct += Math.max(0, b.getMemoryUsed());
        }
        OptionalLong hwm = statusKb("VmHWM:");
        return new Usage(heapPeak, heapEnd, gcCount() - gcCountStart, gcMillis() - gcMillisStart,
                pools.isEmpty() ? -1 : direct, rssStart, hwm.isPresent() ? hwm.getAsLong() * 1024 : -1,
                rssPeakReset && hwm.isPresent());
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, g.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, g.getCollectionTime());
        }
        return n;
    }

    /** Resets the kernel's peak-RSS counter of this process (Linux 4.0+); false where not possible. */
    private static boolean resetRssPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** @return a {@code kB} field of {@code /proc/self/status}, if present */
    static OptionalLong statusKb(String field) {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(field)) {
                    String v = line.substring(field.length()).trim();
                    int sp = v.indexOf(' ');
                    return OptionalLong.of(Long.parseLong(sp > 0 ? v.substring(0, sp) : v));
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
