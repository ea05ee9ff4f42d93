package dev.ikr.port;

import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.UnverifiedRecord;
import java.util.List;

/**
 * The KMS keys' items in the rotation table: intents, retirements pending, and items that need attention. Every item
 * is sealed as an access key's item is ({@link RecordAuthenticator}), and only a verified one is acted on.
 */
public interface KmsKeyRecords {

    /**
     * The KMS keys' items.
     *
     * @param verified the items whose seal proves IKR wrote them as they read
     * @param unverified the others (the claimed item's {@code user} is its alias): reported, never acted on
     */
    record Contents(List<KmsKeyRecord> verified, List<UnverifiedRecord> unverified) {

        public Contents {
            verified = List.copyOf(verified);
            unverified = List.copyOf(unverified);
        }
    }

    Contents all();

    /**
     * Writes the intent only if no item exists for the same alias and old key.
     *
     * @throws RotationConflictException when such an item exists
     */
    void recordIntent(KmsKeyRecord intent);

    /**
     * Notes the new key's id on the intent, while it is still an intent.
     *
     * @throws RotationConflictException when the item is gone or no longer an intent
     */
    void recordNewKey(KmsKeyRecord intent);

    /**
     * Turns the intent into a pending retirement; repeating it for the same new key succeeds.
     *
     * @throws RotationConflictException when the item is neither the intent nor this same retirement
     */
    void scheduleRetirement(KmsKeyRecord scheduled);

    /** Whether the old key's retirement in favour of {@code newKeyId} is recorded (a write whose reply was lost). */
    boolean isScheduled(String alias, String oldKeyId, String newKeyId);

    /** Removes an intent, and only an intent. */
    void removeIntent(String alias, String oldKeyId);

    /** Writes an item back after the stream removed it: a retirement to retry later, or one that needs a person. */
    void putBack(KmsKeyRecord record);
}
