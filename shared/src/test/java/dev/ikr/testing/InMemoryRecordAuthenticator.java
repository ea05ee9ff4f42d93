package dev.ikr.testing;

import dev.ikr.crypto.RecordMac;
import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.RecordSeal;
import dev.ikr.domain.RotationRecord;
import dev.ikr.port.RecordAuthenticator;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/** Seals with {@link RecordMac} under a fixed key, as the KMS adapter does under its data key. */
public final class InMemoryRecordAuthenticator implements RecordAuthenticator {

    private static final String WRAPPED = "in-memory-key";
    private final byte[] key = new byte[RecordMac.KEY_BYTES];

    public InMemoryRecordAuthenticator() {
        Arrays.fill(key, (byte) 7);
    }

    @Override
    public RecordSeal seal(RotationRecord record) {
        return new RecordSeal(Base64.getEncoder().encodeToString(RecordMac.compute(key, "test", record)), WRAPPED);
    }

    @Override
    public Optional<String> whyNotAuthentic(RotationRecord record, Optional<RecordSeal> seal) {
        return check(seal, mac -> RecordMac.matches(key, "test", record, mac));
    }

    @Override
    public RecordSeal seal(KmsKeyRecord record) {
        return new RecordSeal(Base64.getEncoder().encodeToString(RecordMac.compute(key, "test", record)), WRAPPED);
    }

    @Override
    public Optional<String> whyNotAuthentic(KmsKeyRecord record, Optional<RecordSeal> seal) {
        return check(seal, mac -> RecordMac.matches(key, "test", record, mac));
    }

    private static Optional<String> check(Optional<RecordSeal> seal, java.util.function.Predicate<byte[]> matches) {
        if (seal.isEmpty()) {
            return Optional.of("it carries no MAC");
        }
        if (!seal.get().wrappedKey().equals(WRAPPED)) {
            return Optional.of("its MAC key is not ours");
        }
        return matches.test(Base64.getDecoder().decode(seal.get().mac())) ? Optional.empty()
                : Optional.of("its MAC does not match its fields");
    }
}
