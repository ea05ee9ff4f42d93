package dev.ikr.rotation;

import dev.ikr.domain.KmsKey;
import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.KmsRetirementDecision;
import dev.ikr.domain.KmsRetirementDecision.AlreadyRetired;
import dev.ikr.domain.KmsRetirementDecision.Park;
import dev.ikr.domain.KmsRetirementDecision.Retire;
import dev.ikr.domain.TagKeys;
import java.util.Optional;

/**
 * The twin of {@link KmsRotationPlanner}, for the destructor: whether an expired KMS key's item may retire its old
 * key. Pure. The item alone never disables a key: KMS must show, now, that the key is the one the item names, still
 * carries {@code IKR:EMAIL}, has no alias any more (an alias moved back to it means someone still wants it), and that
 * the key that replaced it exists and is enabled. Otherwise the key is kept and the item parked for a person.
 */
public final class KmsRetirementPlanner {

    /**
     * @param oldKey the old key as KMS describes it now; empty when KMS does not know it
     * @param newKey the key that replaced it, as KMS describes it now
     */
    public KmsRetirementDecision decide(KmsKeyRecord record, Optional<KmsKey> oldKey, Optional<KmsKey> newKey) {
        String oldKeyId = record.oldKeyId();
        if (oldKey.isEmpty()) {
            return new AlreadyRetired(record, "key " + oldKeyId + " is not in KMS any more");
        }
        KmsKey old = oldKey.get();
        if (!old.id().equals(oldKeyId)) {
            return park(record, "KMS describes key " + old.id() + " when asked for " + oldKeyId
                    + ": IKR retires only the key its item names, so nothing is retired");
        }
        if (old.isPendingDeletion()) {
            return new AlreadyRetired(record, "key " + oldKeyId + " is already pending deletion"
                    + old.deletionDate().map(at -> " (until " + at + ")").orElse(""));
        }
        if (old.awsManaged() || !old.isEnrolled()) {
            return park(record, "key " + oldKeyId + " no longer carries the " + TagKeys.EMAIL + " tag: IKR retires"
                    + " only keys of an owner, so it is kept");
        }
        if (!old.aliases().isEmpty()) {
            return park(record, "alias " + String.join(", ", old.aliases()) + " points at key " + oldKeyId
                    + " again: someone still uses it, so it is kept");
        }
        if (record.newKeyId().isEmpty() || record.newKeyId().get().equals(oldKeyId)) {
            return park(record, "the item names no key that replaced " + oldKeyId + ": it is kept");
        }
        String newKeyId = record.newKeyId().get();
        if (newKey.isEmpty() || !newKey.get().isEnabled()) {
            return park(record, "the key that replaced " + oldKeyId + ", " + newKeyId + ", is "
                    + newKey.map(found -> found.state()).orElse("gone") + ": retiring " + oldKeyId
                    + " could leave its aliases' users without a working key, so it is kept");
        }
        return new Retire(record);
    }

    private static Park park(KmsKeyRecord record, String reason) {
        return new Park(record.with(record.rotation().parked(reason)), reason);
    }
}
