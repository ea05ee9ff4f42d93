package dev.ikr.domain;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An IAM user and its tags. Tag keys are compared case-insensitively, as the original project
 * does: {@code IKR:EMAIL}, {@code ikr:email} and {@code Ikr:Email} are the same tag.
 */
public record IamUser(String name, Map<String, String> tags) {

    public static final String EMAIL_TAG = "IKR:EMAIL";

    public IamUser {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an IAM user needs a name");
        }
        var normalised = new TreeMap<String, String>();
        if (tags != null) {
            tags.forEach((key, value) -> normalised.put(key.toUpperCase(Locale.ROOT), value == null ? "" : value));
        }
        tags = Map.copyOf(normalised);
    }

    /** The tag's value; {@code key} in any case. */
    public Optional<String> tag(String key) {
        return Optional.ofNullable(tags.get(key.toUpperCase(Locale.ROOT)));
    }

    /** A user takes part in rotation when it carries the {@code IKR:EMAIL} tag, whatever its value. */
    public boolean isEnrolled() {
        return tags.containsKey(EMAIL_TAG);
    }
}
