package dev.vae.cli;

import com.google.inject.Singleton;

/**
 * Options that apply to every subcommand ({@code --backend}, {@code --threads}, {@code --debug}),
 * set by the root command before a subcommand runs and injected where needed.
 */
@Singleton
public final class GlobalOptions {
    private String backend;
    private int threads;
    private boolean debug;

    /** @return the explicitly requested backend name, or null for the default selection order */
    public String backend() {
        return backend;
    }

    /** @return requested compute threads; 0 means the backend's default */
    public int threads() {
        return threads;
    }

    /** @return whether stack traces are shown on errors */
    public boolean debug() {
        return debug;
    }

    void set(String backendName, int threadCount, boolean debugOn) {
        this.backend = backendName;
        this.threads = threadCount;
        this.debug = debugOn;
    }
}
