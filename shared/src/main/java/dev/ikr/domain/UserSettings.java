package dev.ikr.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a user's {@code IKR:*} tags ask for. Built by {@link #fromTags(IamUser, AllowedEmailDomains, DeliveryBounds)},
 * which validates every value before anything is created, so a bad tag never leaves a half-rotated user behind.
 *
 * @param email the owner, who is mailed the key, or told where it was delivered
 * @param deliverTo {@code IKR:DELIVER_TO}: where the key goes instead of the owner's mail
 * @param deactivateAfterDays {@code IKR:DEACTIVATE_AFTER_DAYS}: when the old key is switched off before its deletion
 */
public record UserSettings(
        EmailAddress email,
        Optional<Integer> rotateAfterDays,
        Optional<Integer> deleteAfterDays,
        List<String> instructions,
        Optional<DeliveryTarget> deliverTo,
        Optional<Integer> deactivateAfterDays) {

    public static final String ROTATE_AFTER_DAYS_TAG = TagKeys.ROTATE_AFTER_DAYS;
    public static final String DELETE_AFTER_DAYS_TAG = TagKeys.DELETE_AFTER_DAYS;
    public static final String DEACTIVATE_AFTER_DAYS_TAG = TagKeys.DEACTIVATE_AFTER_DAYS;
    public static final String INSTRUCTION_TAG_PREFIX = TagKeys.INSTRUCTION_PREFIX;
    private static final Pattern INSTRUCTION_INDEX = Pattern.compile("[0-9]{1,4}");

    public UserSettings {
        java.util.Objects.requireNonNull(email, "email");
        rotateAfterDays = rotateAfterDays == null ? Optional.empty() : rotateAfterDays;
        deleteAfterDays = deleteAfterDays == null ? Optional.empty() : deleteAfterDays;
        instructions = instructions == null ? List.of() : List.copyOf(instructions);
        deliverTo = deliverTo == null ? Optional.empty() : deliverTo;
        deactivateAfterDays = deactivateAfterDays == null ? Optional.empty() : deactivateAfterDays;
    }

    /** Settings without a delivery target (the key is mailed) and without a deactivation delay of their own. */
    public UserSettings(EmailAddress email, Optional<Integer> rotateAfterDays, Optional<Integer> deleteAfterDays,
            List<String> instructions) {
        this(email, rotateAfterDays, deleteAfterDays, instructions, Optional.empty(), Optional.empty());
    }

    /** Reads the user's tags, allowing mail to any domain. */
    public static UserSettings fromTags(IamUser user) {
        return fromTags(user, AllowedEmailDomains.any());
    }

    /**
     * Reads the user's tags; an {@code IKR:DELIVER_TO} target is checked for its form only (tag-users, adopt).
     *
     * @param allowedDomains where the new key may be mailed
     * @throws MisconfiguredUserException naming the first tag that cannot be used: a look-alike of an IKR tag, two
     *     spellings of one tag, or a value that is wrong or, for {@code IKR:EMAIL}, outside {@code allowedDomains}
     */
    public static UserSettings fromTags(IamUser user, AllowedEmailDomains allowedDomains) {
        return read(user, allowedDomains);
    }

    /**
     * Reads the user's tags as the rotator does: an {@code IKR:DELIVER_TO} target must also lie within
     * {@code bounds}.
     *
     * @throws MisconfiguredUserException as {@link #fromTags(IamUser, AllowedEmailDomains)}, or when the target is
     *     of a kind that is off or outside its bound
     */
    public static UserSettings fromTags(IamUser user, AllowedEmailDomains allowedDomains, DeliveryBounds bounds) {
        UserSettings settings = read(user, allowedDomains);
        settings.deliverTo().flatMap(bounds::refusal).ifPresent(refusal -> {
            throw new MisconfiguredUserException(TagKeys.DELIVER_TO + ": " + refusal);
        });
        return settings;
    }

    private static UserSettings read(IamUser user, AllowedEmailDomains allowedDomains) {
        List<TagKeys.LookAlike> lookAlikes = user.lookAlikeTags();
        if (!lookAlikes.isEmpty()) {
            throw new MisconfiguredUserException(lookAlikes.getFirst().reason()
                    + (lookAlikes.size() > 1 ? " (and " + (lookAlikes.size() - 1) + " more look-alike tags)" : ""));
        }
        rejectRespelledTags(user);
        EmailAddress email;
        try {
            email = EmailAddress.of(user.tag(TagKeys.EMAIL).orElse(""));
        } catch (IllegalArgumentException e) {
            throw new MisconfiguredUserException(TagKeys.EMAIL + ": " + e.getMessage());
        }
        if (!allowedDomains.permits(email)) {
            throw new MisconfiguredUserException(TagKeys.EMAIL + ": " + allowedDomains.refusal(email));
        }
        return new UserSettings(
                email,
                days(user, ROTATE_AFTER_DAYS_TAG),
                days(user, DELETE_AFTER_DAYS_TAG),
                instructions(user),
                deliverTo(user),
                days(user, DEACTIVATE_AFTER_DAYS_TAG));
    }

    /** {@code IKR:DELIVER_TO}, checked for its form: a blank value is a mistake too, never "mail it instead". */
    private static Optional<DeliveryTarget> deliverTo(IamUser user) {
        try {
            return user.tag(TagKeys.DELIVER_TO).map(value -> DeliveryTarget.parse(value.strip()));
        } catch (IllegalArgumentException e) {
            throw new MisconfiguredUserException(TagKeys.DELIVER_TO + ": " + e.getMessage());
        }
    }

    /** IAM keeps one spelling of a key per user; should two reach IKR, neither silently wins. */
    private static void rejectRespelledTags(IamUser user) {
        var byFoldedKey = new TreeMap<String, String>();
        for (String key : user.tags().keySet()) {
            if (!TagKeys.isIkrKey(key)) {
                continue;
            }
            String earlier = byFoldedKey.putIfAbsent(TagKeys.fold(key), key);
            if (earlier != null) {
                throw new MisconfiguredUserException("tags '" + TagKeys.printable(earlier) + "' and '"
                        + TagKeys.printable(key) + "' are the same tag "
                        + TagKeys.fold(key) + " spelled twice: keep one");
            }
        }
    }

    private static Optional<Integer> days(IamUser user, String tag) {
        try {
            return user.tag(tag).map(value -> Days.parse(value, tag));
        } catch (IllegalArgumentException e) {
            throw new MisconfiguredUserException(e.getMessage());
        }
    }

    /** {@code IKR:INSTRUCTION_0..N} in numeric order (0, 1, 2, ... 10, 11), blanks dropped. */
    private static List<String> instructions(IamUser user) {
        var byIndex = new TreeMap<Integer, String>();
        var numbered = new TreeMap<Integer, String>();
        for (Map.Entry<String, String> tag : user.tags().entrySet()) {
            String key = TagKeys.fold(tag.getKey());
            if (!key.startsWith(INSTRUCTION_TAG_PREFIX)) {
                continue;
            }
            String index = key.substring(INSTRUCTION_TAG_PREFIX.length());
            if (!INSTRUCTION_INDEX.matcher(index).matches()) {
                throw new MisconfiguredUserException(
                        "tag " + TagKeys.printable(key) + " must end in a number, like "
                                + INSTRUCTION_TAG_PREFIX + "0");
            }
            int number = Integer.parseInt(index);
            if (byIndex.containsKey(number) || numbered.containsKey(number)) {
                throw new MisconfiguredUserException("tags " + numbered.get(number) + " and " + key
                        + " both give instruction number " + number + ": keep one");
            }
            numbered.put(number, key);
            if (!tag.getValue().isBlank()) {
                byIndex.put(number, tag.getValue().strip());
            }
        }
        return new ArrayList<>(byIndex.values());
    }
}
