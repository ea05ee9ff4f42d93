package dev.ikr.domain;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An IAM user and its tags, with their keys as IAM holds them. IKR's tag keys are matched with ASCII case folding
 * only ({@link TagKeys}): {@code IKR:EMAIL}, {@code ikr:email} and {@code Ikr:Email} are the same tag, as in the
 * original project, but {@code ıkr:emaıl} (dotless i) is not: it is a look-alike.
 */
public record IamUser(String name, Map<String, String> tags) {

    public static final String EMAIL_TAG = TagKeys.EMAIL;

    public IamUser {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an IAM user needs a name");
        }
        var sorted = new TreeMap<String, String>();
        if (tags != null) {
            tags.forEach((key, value) -> {
                if (key == null || key.isEmpty()) {
                    throw new IllegalArgumentException("a tag of IAM user " + name + " has no key");
                }
                sorted.put(key, value == null ? "" : value);
            });
        }
        tags = Collections.unmodifiableMap(sorted);
    }

    /** The value of IKR's tag {@code key}, spelled in any ASCII case; the first such key in key order. */
    public Optional<String> tag(String key) {
        return tags.entrySet().stream().filter(tag -> TagKeys.matches(tag.getKey(), key))
                .map(Map.Entry::getValue).findFirst();
    }

    /**
     * A user takes part in rotation when it carries the {@code IKR:EMAIL} tag in any ASCII case, whatever its value.
     * A look-alike of that tag does not enrol a user.
     */
    public boolean isEnrolled() {
        return tags.keySet().stream().anyMatch(key -> TagKeys.matches(key, EMAIL_TAG));
    }

    /** Its tag keys that look like IKR's but are not (see {@link TagKeys#lookAlike}), in key order. */
    public List<TagKeys.LookAlike> lookAlikeTags() {
        return tags.keySet().stream().flatMap(key -> TagKeys.lookAlike(key).stream()).toList();
    }

    /**
     * Whether a tag key looks like one of IKR's but is not: such a user is misconfigured, enrolled or not, and a run
     * reports it without touching it.
     */
    public boolean hasLookAlikeTags() {
        return tags.keySet().stream().anyMatch(key -> TagKeys.lookAlike(key).isPresent());
    }
}
