package dev.ikr.port;

import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.UnverifiedRecord;
import java.util.List;

/**
 * The rotation table: intents, pending deletions and records that need attention. Every item it writes is sealed
 * ({@link RecordAuthenticator}); an item read back is trusted only if its seal proves IKR wrote it as it reads.
 */
public interface PendingDeletions {

    /**
     * What the table holds.
     *
     * @param verified the rotation records whose seal proves IKR wrote them as they read: the only ones acted on
     * @param unverified the items that could be read but are not proven IKR's: reported, never acted on
     * @param deliveries where each user's key was last delivered (sealed items too)
     */
    record Contents(List<RotationRecord> verified, List<UnverifiedRecord> unverified, List<LastDelivery> deliveries) {

        public Contents {
            verified = List.copyOf(verified);
            unverified = List.copyOf(unverified);
            deliveries = List.copyOf(deliveries);
        }
    }

    /** Every item in the table that can be read, each checked. */
    Contents all();

    /**
     * Writes the intent only if no record exists for the same user and old key, so two runs can
     * never both rotate one key.
     *
     * @throws RotationConflictException when such a record exists
     */
    void recordIntent(RotationRecord intent);

    /**
     * Notes on the intent the id of the key just created, so an interrupted run can be repaired; only while the
     * item is still an intent.
     *
     * @param intent the intent with its new key ({@link RotationRecord#withNewKey})
     * @throws RotationConflictException when the item is gone or no longer an intent
     */
    void recordNewKey(RotationRecord intent);

    /**
     * Turns the intent into a pending deletion: the new key was delivered, the old key goes at its
     * {@code delete_on}. Repeating it for the same new key (a retried write) succeeds.
     *
     * @param scheduled the intent once scheduled ({@link RotationRecord#scheduled})
     * @throws RotationConflictException when the item is neither the intent nor this same pending deletion
     */
    void scheduleDeletion(RotationRecord scheduled);

    /**
     * Writes a record back after the stream removed it: a deletion to retry later, or one that now
     * needs a person. Replaces any record with the same key.
     */
    void putBack(RotationRecord record);

    /** Whether the old key is recorded as pending deletion in favour of {@code newKeyId} (a write whose reply was lost). */
    boolean isScheduled(String user, String oldKeyId, String newKeyId);

    /**
     * Removes a pending deletion whose old key is already gone, before the user is rotated again; only if it is
     * still that pending deletion (same state and {@code delete_on}), so a concurrent change wins.
     */
    void clearStale(RotationRecord pending);

    /**
     * Remembers where a user's key was delivered, unless a later delivery is already remembered.
     */
    void recordDelivery(LastDelivery delivery);

    /** Removes an intent (and only an intent) after a rollback or a repair. */
    void removeIntent(String user, String oldKeyId);

    /**
     * Seals an item IKR did not write (the original project's), once a person's check found it sound; only if the
     * item is still unsealed and unchanged since it was read.
     *
     * @param found the item as it was read
     * @param adopted the record to seal in its place (same user and old key)
     * @throws RotationConflictException when the item changed or was sealed meanwhile
     */
    void adopt(RotationRecord found, RotationRecord adopted);
}
