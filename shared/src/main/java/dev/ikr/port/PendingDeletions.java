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

    /** Turns the intent into a pending deletion: the new key was delivered, the old key goes at {@code deleteOn}. */
    void scheduleDeletion(String user, String oldKeyId, String newKeyId, Instant deleteOn);

    /** Removes an intent (and only an intent) after a rollback or a repair. */
    void removeIntent(String user, String oldKeyId);
}
