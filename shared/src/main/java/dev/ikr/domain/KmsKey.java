package dev.ikr.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A KMS key as KMS describes it, with its aliases and (for a customer managed key) its tags. Specs, usages, origins
 * and states are KMS's own names ({@code RSA_2048}, {@code SIGN_VERIFY}, {@code AWS_KMS}, {@code Enabled}), kept as
 * text so that a value KMS adds later reads as "not one IKR rotates" rather than failing.
 *
 * @param id the key id ({@code 1234abcd-...} or {@code mrk-...})
 * @param awsManaged whether AWS manages it ({@code KeyManager = AWS}): IKR never touches those
 * @param customKeyStoreId the custom key store it lives in, if any
 * @param aliases its alias names ({@code alias/...}), sorted
 * @param tags its tags (none are read for an AWS managed key)
 * @param deletionDate when KMS deletes it, for a key pending deletion
 */
public record KmsKey(String id, String arn, String keySpec, String keyUsage, String origin, boolean awsManaged,
        String state, boolean multiRegion, Optional<String> customKeyStoreId, Instant createdAt, String description,
        List<String> aliases, Map<String, String> tags, Optional<Instant> deletionDate) {

    /** The tag IKR adds to the key it creates: the id of the key it replaces (an interrupted run finds it by it). */
    public static final String ROTATED_FROM_TAG = "IKR:ROTATED_FROM";
    public static final String ENABLED = "Enabled";
    public static final String PENDING_DELETION = "PendingDeletion";
    public static final String SYMMETRIC = "SYMMETRIC_DEFAULT";
    /** Key material KMS generated (not imported, not in a custom key store). */
    public static final String AWS_KMS_ORIGIN = "AWS_KMS";
    /** The spec prefixes of the keys KMS does not rotate itself and IKR rotates by alias. */
    private static final List<String> ROTATED_BY_ALIAS = List.of("RSA_", "ECC_", "HMAC_");

    public KmsKey {
        requireText(id, "id");
        requireText(arn, "arn");
        requireText(keySpec, "keySpec");
        requireText(keyUsage, "keyUsage");
        requireText(origin, "origin");
        requireText(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        customKeyStoreId = customKeyStoreId == null ? Optional.empty() : customKeyStoreId;
        description = description == null ? "" : description;
        aliases = List.copyOf(aliases == null ? List.of() : aliases.stream().sorted().toList());
        tags = Collections.unmodifiableMap(new TreeMap<>(tags == null ? Map.of() : tags));
        deletionDate = deletionDate == null ? Optional.empty() : deletionDate;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a KMS key needs its " + name);
        }
    }

    /** Its first alias in sort order: the table item of its rotation is keyed by it. */
    public Optional<String> firstAlias() {
        return aliases.stream().findFirst();
    }

    /** Whether it carries the owner tag, {@code IKR:EMAIL}, in any ASCII case. */
    public boolean isEnrolled() {
        return tags.keySet().stream().anyMatch(key -> TagKeys.matches(key, TagKeys.EMAIL));
    }

    /** The value of a tag, its key spelled in any ASCII case. */
    public Optional<String> tag(String key) {
        return tags.entrySet().stream().filter(tag -> TagKeys.matches(tag.getKey(), key))
                .map(Map.Entry::getValue).findFirst();
    }

    public boolean isEnabled() {
        return ENABLED.equals(state);
    }

    /** Scheduled for deletion: {@code CancelKeyDeletion} can still bring it back. */
    public boolean isPendingDeletion() {
        return PENDING_DELETION.equals(state);
    }

    /** Asymmetric ({@code RSA_*}, {@code ECC_*}) or HMAC: the specs KMS never rotates and IKR rotates by alias. */
    public boolean rotatedByAlias() {
        return ROTATED_BY_ALIAS.stream().anyMatch(keySpec::startsWith);
    }

    /** Whether it has a public key ({@code GetPublicKey}): every asymmetric spec. */
    public boolean hasPublicKey() {
        return keySpec.startsWith("RSA_") || keySpec.startsWith("ECC_");
    }

    /** The owner's address and the day counts its {@code IKR:*} tags ask for, read as a user's tags are. */
    public UserSettings settings(AllowedEmailDomains allowedDomains) {
        UserSettings settings = UserSettings.fromTags(new IamUser(id, tags), allowedDomains);
        for (String userOnly : List.of(TagKeys.DELIVER_TO, TagKeys.DEACTIVATE_AFTER_DAYS)) {
            if (tag(userOnly).isPresent()) {
                throw new MisconfiguredUserException(userOnly + " is a tag of IAM users: a KMS key is never"
                        + " delivered elsewhere or deactivated before its retirement; remove it");
            }
        }
        return settings;
    }

    /**
     * The key IKR creates in its place: the same spec, usage, description, key policy and tags, and
     * {@value #ROTATED_FROM_TAG} naming this key (replacing the one an earlier rotation wrote).
     */
    public KmsKeyCopy copy(String keyPolicy) {
        var copiedTags = new TreeMap<String, String>();
        tags.forEach((key, value) -> {
            if (!TagKeys.matches(key, ROTATED_FROM_TAG)) {
                copiedTags.put(key, value);
            }
        });
        copiedTags.put(ROTATED_FROM_TAG, id);
        return new KmsKeyCopy(id, keySpec, keyUsage, description, keyPolicy, copiedTags);
    }

    /** Whether IKR created it in place of {@code original} ({@value #ROTATED_FROM_TAG}, same spec and usage). */
    public boolean isCopyOf(KmsKey original) {
        return !id.equals(original.id()) && !awsManaged && tag(ROTATED_FROM_TAG).filter(original.id()::equals)
                .isPresent() && keySpec.equals(original.keySpec()) && keyUsage.equals(original.keyUsage());
    }
}
