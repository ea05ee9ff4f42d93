package dev.ikr.port;

import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.RecordSeal;
import dev.ikr.domain.RotationRecord;
import java.util.Optional;

/**
 * Seals the table items IKR writes and checks the seal of those it reads, so that an item written by anyone else
 * (whoever can write the table) is never acted on.
 */
public interface RecordAuthenticator {

    /** The seal of {@code record}, to store with it. */
    RecordSeal seal(RotationRecord record);

    /**
     * Why {@code record} is not proven to be IKR's, exactly as it reads; empty when its seal proves it.
     *
     * @throws RuntimeException when the check itself cannot be made now (KMS unreachable): neither proven nor refused
     */
    Optional<String> whyNotAuthentic(RotationRecord record, Optional<RecordSeal> seal);

    /** The seal of a KMS key's item: over its fields, its kind and its aliases. */
    RecordSeal seal(KmsKeyRecord record);

    /** Why a KMS key's item is not proven to be IKR's, exactly as it reads; empty when its seal proves it. */
    Optional<String> whyNotAuthentic(KmsKeyRecord record, Optional<RecordSeal> seal);
}
