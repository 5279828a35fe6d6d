package dev.vae.api;

/**
 * Whether operations on this thread record the graph for reverse-mode differentiation. Recording
 * is on by default; evaluation code turns it off:
 * <pre>{@code try (GradMode.Guard g = GradMode.disable()) { ... } }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /** @return true if new operations record their backward functions on this thread */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording off until the returned guard is closed (restoring the previous state). */
    public static Guard disable() {
        return set(false);
    }

    /** Turns recording on until the returned guard is closed (restoring the previous state). */
    public static Guard enable() {
        return set(true);
    }

    private static Guard set(boolean on) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = on;
        return () -> flag[0] = previous;
    }

    /** Restores the previous mode when closed. */
    @FunctionalInterface
    public interface Guard extends AutoCloseable {
        @Override
        void close();
    }
}
