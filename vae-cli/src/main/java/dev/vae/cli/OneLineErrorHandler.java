package dev.vae.cli;

import picocli.CommandLine;

/**
 * Turns an exception thrown by a command into one line on stderr ({@code vae: <message>}) and
 * exit status 1; {@code --debug} prints the stack trace as well.
 */
final class OneLineErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        VaeCommand root = rootCommand(cl);
        if (root != null && root.options().debug()) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().println("vae: " + message(ex));
        cl.getErr().flush();
        return 1;
    }

    static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            Throwable c = ex.getCause();
            return c != null ? message(c) : ex.getClass().getSimpleName();
        }
        return m.replace('\n', ' ');
    }

    private static VaeCommand rootCommand(CommandLine cl) {
        CommandLine c = cl;
        while (c.getParent() != null) {
            c = c.getParent();
        }
        Object o = c.getCommand();
        return o instanceof VaeCommand v ? v : null;
    }
}
