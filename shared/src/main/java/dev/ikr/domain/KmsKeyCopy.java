package dev.ikr.domain;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code CreateKey} is asked for when a key is rotated: the old key's spec, usage, description, key policy
 * and tags. Not a secret: a key policy names principals, never key material.
 *
 * @param replaces the id of the key it replaces
 */
public record KmsKeyCopy(String replaces, String keySpec, String keyUsage, String description, String keyPolicy,
        Map<String, String> tags) {

    public KmsKeyCopy {
        Objects.requireNonNull(replaces, "replaces");
        Objects.requireNonNull(keySpec, "keySpec");
        Objects.requireNonNull(keyUsage, "keyUsage");
        description = description == null ? "" : description;
        Objects.requireNonNull(keyPolicy, "keyPolicy");
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}
