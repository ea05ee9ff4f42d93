package dev.ikr.domain;

import java.util.regex.Pattern;

/**
 * The CloudWatch namespace the functions' metrics go to, as CloudWatch documents one: 1 to 255 characters from
 * letters, digits, space and {@code . - _ / # :}, at least one of them not a space, not starting with {@code :}
 * (PutMetricData's pattern) nor with {@code AWS/} (reserved for AWS's own metrics).
 */
public record MetricNamespace(String value) {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9 ._/#:-]{1,255}");

    /** IKR's namespace unless {@code METRICS_NAMESPACE} names another. */
    public static final MetricNamespace DEFAULT = new MetricNamespace("IKR");

    public MetricNamespace {
        if (!isValid(value)) {
            throw new IllegalArgumentException(rule("a metric namespace", value));
        }
    }

    /**
     * @param raw the text to read; surrounding blanks are dropped
     * @param what names the source in the error, e.g. {@code "METRICS_NAMESPACE"}
     * @throws IllegalArgumentException with one sentence naming {@code what} and the rule
     */
    public static MetricNamespace parse(String raw, String what) {
        String text = raw == null ? "" : raw.strip();
        if (!isValid(text)) {
            throw new IllegalArgumentException(rule(what, text));
        }
        return new MetricNamespace(text);
    }

    private static boolean isValid(String value) {
        return value != null && ALLOWED.matcher(value).matches() && !value.isBlank() && !value.startsWith(":")
                && !value.startsWith("AWS/");
    }

    private static String rule(String what, String value) {
        String printable = value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
        String shown = printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
        return what + " must be a CloudWatch namespace: 1 to 255 letters, digits, spaces and . - _ / # :,"
                + " not only spaces, not starting with ':' or 'AWS/' (reserved for AWS), not '" + shown + "'";
    }

    @Override
    public String toString() {
        return value;
    }
}
