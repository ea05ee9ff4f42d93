package dev.ikr.domain;

import java.util.regex.Pattern;

/** A syntactically plausible mail address (one {@code @}, a dotted domain, no spaces, at most 254 characters). */
public record EmailAddress(String value) {

    private static final Pattern SHAPE = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final int MAX_LENGTH = 254;

    public EmailAddress {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the email address is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the email address is longer than " + MAX_LENGTH + " characters");
        }
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a valid email address");
        }
    }

    /** Trims surrounding blanks, then validates. */
    public static EmailAddress of(String raw) {
        return new EmailAddress(raw == null ? null : raw.strip());
    }

    @Override
    public String toString() {
        return value;
    }
}
