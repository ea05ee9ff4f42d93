package dev.ikr.domain;

import java.util.regex.Pattern;

/** Parses the day counts used by the environment and the tags: a whole number from 1 to {@value #MAX}. */
public final class Days {

    /** A hundred years: anything longer is a typo, and it keeps date arithmetic far from overflow. */
    public static final int MAX = 36_500;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private Days() {
    }

    /**
     * @param raw the text to read
     * @param what names the source in the error, e.g. {@code "ROTATE_AFTER_DAYS"}
     * @throws IllegalArgumentException with one sentence naming {@code what} and the allowed values
     */
    public static int parse(String raw, String what) {
        String text = raw == null ? "" : raw.strip();
        if (!DIGITS.matcher(text).matches() || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX) {
            throw new IllegalArgumentException(
                    what + " must be a whole number of days from 1 to " + MAX + ", not '" + abbreviate(text) + "'");
        }
        return Integer.parseInt(text);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
