package dev.vae.conformance;

/**
 * One check of the suite: a group, the op or topic it belongs to, a name that describes the
 * input, the subject used in failure messages, and the body that passes, fails with an
 * {@link AssertionError}, or skips with {@link CheckSkipped}.
 *
 * @param group the check group (a row of the summary table)
 * @param topic the op or topic, e.g. {@code sum} (a container in the test report)
 * @param name the input description, e.g. {@code axes=[0] keepDims=false input (3, 5) float32}
 * @param subject what a failure message names after the backend, e.g.
 *                {@code op 'sum' axes=[0] keepDims=false input (3, 5) float32}
 * @param body what is checked
 */
public record Check(CheckGroup group, String topic, String name, String subject, Body body) {
    /** What a check does. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs the check.
         *
         * @throws Exception any failure (reported with the backend and the subject)
         */
        void run() throws Exception;
    }

    /** @return a check of op {@code op}: the subject is {@code op 'name' <input description>} */
    public static Check ofOp(CheckGroup group, String op, String name, Body body) {
        return new Check(group, op, name, "op '" + op + "' " + name, body);
    }

    /** @return a check on a topic other than an op: the subject is {@code topic: name} */
    public static Check of(CheckGroup group, String topic, String name, Body body) {
        return new Check(group, topic, name, topic + ": " + name, body);
    }

    @Override
    public String toString() {
        return group.label() + " / " + subject;
    }
}
