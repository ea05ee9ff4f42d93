package dev.ikr.rotation;

import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.KmsKey;
import dev.ikr.domain.KmsKeyDecision;
import dev.ikr.domain.KmsKeyDecision.EnableAutoRotation;
import dev.ikr.domain.KmsKeyDecision.Misconfigured;
import dev.ikr.domain.KmsKeyDecision.Repair;
import dev.ikr.domain.KmsKeyDecision.Rotate;
import dev.ikr.domain.KmsKeyDecision.Skip;
import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.KmsSkipReason;
import dev.ikr.domain.MisconfiguredUserException;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.TagKeys;
import dev.ikr.domain.UserSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The KMS rotation policy in one place: given a key, every key of the account (to find what an interrupted run
 * created), the table's KMS items and the time, what happens to the key. Pure: no AWS, no clock, no I/O.
 *
 * <p>Only an enabled customer managed key whose material KMS generated, in one Region, asymmetric or HMAC, that
 * carries {@code IKR:EMAIL} and has an alias, is rotated, when its age reaches its limit. Every other key is left
 * alone with the reason; a symmetric key of an owner gets KMS's own automatic rotation when the deployment asks.
 */
public final class KmsRotationPlanner {

    /**
     * The run-wide settings.
     *
     * @param defaults {@code KMS_ROTATE_AFTER_DAYS} and {@code DELETE_AFTER_DAYS} ({@code IKR:ROTATE_AFTER_DAYS} and
     *     {@code IKR:DELETE_AFTER_DAYS} on a key override them)
     * @param enableAutoRotation {@code KMS_ENABLE_AUTO_ROTATION}
     */
    public record Options(RotationPolicy defaults, AllowedEmailDomains allowedDomains, boolean enableAutoRotation) {

        public Options {
            Objects.requireNonNull(defaults, "defaults");
            Objects.requireNonNull(allowedDomains, "allowedDomains");
        }
    }

    private final Options options;

    public KmsRotationPlanner(Options options) {
        this.options = options;
    }

    public KmsKeyDecision decide(KmsKey key, List<KmsKey> allKeys, List<KmsKeyRecord> records, Instant now) {
        if (key.awsManaged()) {
            return new Skip(KmsSkipReason.AWS_MANAGED, "an AWS managed key: AWS rotates it every year");
        }
        Optional<KmsKeyRecord> intent = records.stream()
                .filter(record -> record.isIntent() && record.oldKeyId().equals(key.id())).findFirst();
        if (intent.isPresent()) {
            return repair(intent.get(), key, allKeys);
        }
        Optional<Skip> notRotatable = notRotatable(key);
        if (notRotatable.isPresent()) {
            return notRotatable.get();
        }
        if (key.keySpec().equals(KmsKey.SYMMETRIC)) {
            return key.isEnrolled() && options.enableAutoRotation() ? new EnableAutoRotation(key)
                    : new Skip(KmsSkipReason.SYMMETRIC, "a symmetric encryption key: KMS rotates it itself"
                            + (key.isEnrolled() ? " (KMS_ENABLE_AUTO_ROTATION is off)" : ""));
        }
        if (!key.rotatedByAlias()) {
            return new Skip(KmsSkipReason.UNSUPPORTED_SPEC, "key spec " + key.keySpec() + ": IKR rotates RSA_*,"
                    + " ECC_* and HMAC_* keys");
        }
        if (!key.isEnrolled()) {
            return new Skip(KmsSkipReason.NOT_ENROLLED, "it does not carry the " + TagKeys.EMAIL + " tag");
        }
        UserSettings settings;
        RotationPolicy policy;
        try {
            settings = key.settings(options.allowedDomains());
            policy = options.defaults().forUser(settings);
        } catch (MisconfiguredUserException e) {
            return new Misconfigured(e.getMessage());
        }
        Optional<Skip> inProgress = inProgress(key, records);
        if (inProgress.isPresent()) {
            return inProgress.get();
        }
        if (key.aliases().isEmpty()) {
            return new Skip(KmsSkipReason.NO_ALIAS, "it has no alias: IKR rotates a key by moving its aliases to the"
                    + " new key, so whatever uses it by id would never get the new one");
        }
        long age = Duration.between(key.createdAt(), now).toDays();
        if (age < policy.rotateAfterDays()) {
            return new Skip(KmsSkipReason.NOT_DUE, "key " + key.id() + " is " + age + " days old; it is rotated at "
                    + policy.rotateAfterDays() + " days");
        }
        return new Rotate(key, settings, policy);
    }

    /** A key of a kind IKR never rotates: not enabled, not KMS's own material, multi-Region. */
    private static Optional<Skip> notRotatable(KmsKey key) {
        if (!key.isEnabled()) {
            return Optional.of(new Skip(KmsSkipReason.NOT_ENABLED, "its state is " + key.state()
                    + key.deletionDate().map(at -> ": KMS deletes it on " + at).orElse("")));
        }
        if (key.customKeyStoreId().isPresent() || !key.origin().equals(KmsKey.AWS_KMS_ORIGIN)
                && !key.origin().equals("EXTERNAL")) {
            return Optional.of(new Skip(KmsSkipReason.CUSTOM_KEY_STORE, "its material lives in a custom key store"
                    + key.customKeyStoreId().map(id -> " (" + id + ")").orElse(" (origin " + key.origin() + ")")));
        }
        if (!key.origin().equals(KmsKey.AWS_KMS_ORIGIN)) {
            return Optional.of(new Skip(KmsSkipReason.IMPORTED_MATERIAL, "its key material was imported (origin "
                    + key.origin() + "): IKR cannot make a copy of its kind"));
        }
        if (key.multiRegion()) {
            return Optional.of(new Skip(KmsSkipReason.MULTI_REGION, "a multi-Region key: its replicas share its"
                    + " material, which a new key would not"));
        }
        return Optional.empty();
    }

    /** The key's own retirement, or its predecessor's, is under way (or waits for a person). */
    private static Optional<Skip> inProgress(KmsKey key, List<KmsKeyRecord> records) {
        for (KmsKeyRecord record : records) {
            boolean old = record.oldKeyId().equals(key.id());
            boolean replacement = record.newKeyId().filter(key.id()::equals).isPresent();
            if (!old && !replacement) {
                continue;
            }
            if (record.state() == RecordState.NEEDS_ATTENTION) {
                return Optional.of(new Skip(KmsSkipReason.AWAITING_ATTENTION, "the retirement of key "
                        + record.oldKeyId() + " needs attention: " + record.rotation().reason().orElse("see its item")));
            }
            if (record.state() == RecordState.PENDING_DELETION) {
                Instant on = record.rotation().deleteOn().orElseThrow();
                return Optional.of(old
                        ? new Skip(KmsSkipReason.RETIRING, "replaced by " + record.newKeyId().orElse("?")
                                + "; it stays enabled until its retirement on " + on)
                        : new Skip(KmsSkipReason.ROTATION_IN_PROGRESS, "it replaced key " + record.oldKeyId()
                                + ", which retires on " + on));
            }
        }
        return Optional.empty();
    }

    /**
     * An interrupted rotation is withdrawn: the keys it created are scheduled for deletion and the aliases it moved go
     * back. Never a key that now also carries an alias the rotation did not move: someone uses it, so a person decides.
     */
    private static KmsKeyDecision repair(KmsKeyRecord intent, KmsKey old, List<KmsKey> allKeys) {
        List<KmsKey> created = created(intent, old, allKeys);
        for (KmsKey key : created) {
            List<String> foreign = key.aliases().stream().filter(alias -> !intent.aliases().contains(alias)).toList();
            if (!foreign.isEmpty()) {
                return new Skip(KmsSkipReason.INTERRUPTED_ROTATION, "a rotation started at " + intent.rotation()
                        .startedAt() + " created key " + key.id() + ", which now also carries " + String.join(", ",
                        foreign) + ": IKR withdraws only what the rotation moved, so both keys are left to a person;"
                        + " then delete the item");
            }
        }
        return new Repair(intent, created);
    }

    /** What an interrupted rotation of {@code old} created: the key its intent names, and the keys tagged as its copies. */
    private static List<KmsKey> created(KmsKeyRecord intent, KmsKey old, List<KmsKey> allKeys) {
        List<KmsKey> created = new ArrayList<>();
        for (KmsKey candidate : allKeys) {
            boolean named = intent.newKeyId().filter(candidate.id()::equals).isPresent();
            if ((named || candidate.isCopyOf(old)) && !candidate.id().equals(old.id())) {
                created.add(candidate);
            }
        }
        return created;
    }
}
