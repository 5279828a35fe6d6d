package dev.vae.cli;

import picocli.CommandLine;

/** Reports the implementation version from the jar manifest (or "development" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"vae " + (v == null ? "development" : v) + ", Java " + System.getProperty("java.version")};
    }
}
