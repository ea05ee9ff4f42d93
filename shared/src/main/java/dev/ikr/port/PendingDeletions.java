package dev.ikr.port;

import dev.ikr.domain.RotationRecord;
import java.time.Instant;
import java.util.List;

/** The rotation table: intents, pending deletions and records that need attention. */
public interface PendingDeletions {

    /** Every record in the table. */
    List<RotationRecord> all();

    /**
     * Writes the intent only if no record exists for the same user and old key, so two runs can
     * never both rotate one key.
     *
     * @throws RotationConflictException when such a record exists
     */
    void recordIntent(RotationRecord intent);

    /** Notes on the intent the id of the key just created, so an interrupted run can be repaired. */
    void recordNewKey(String user, String oldKeyId, String newKeyId);

    /**
     * Turns the intent into a pending deletion: the new key was delivered, the old key goes at
     * {@code deleteOn}. Repeating it for the same new key (a retried write) succeeds.
     */
    void scheduleDeletion(String user, String oldKeyId, String newKeyId, Instant deleteOn);

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

    /** Removes an intent (and only an intent) after a rollback or a repair. */
    void removeIntent(String user, String oldKeyId);
}
