package dev.ikr.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where IKR last delivered a user's key: kept (sealed) in the table once the old key of that rotation is gone, so
 * that a later change of {@code IKR:EMAIL} is announced to the previous address.
 *
 * @param address where the key went
 * @param keyId the key delivered there
 * @param deliveredAt when its rotation started
 */
public record LastDelivery(String user, EmailAddress address, String keyId, Instant deliveredAt) {

    /** The range key ({@code ak}) of a delivery item: no access key id can take this value. */
    public static final String RANGE_KEY = "#delivered";

    public LastDelivery {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
    }

    /** The delivery a finished rotation made, if its record names the key delivered and a valid address. */
    public static Optional<LastDelivery> of(RotationRecord rotation) {
        if (rotation.newKeyId().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LastDelivery(rotation.user(), EmailAddress.of(rotation.email()),
                    rotation.newKeyId().get(), rotation.startedAt()));
        } catch (IllegalArgumentException notAnAddress) {
            return Optional.empty();
        }
    }

    /** As the table keeps it: a record in state {@code delivered}, keyed {@value #RANGE_KEY}. */
    public RotationRecord toRecord() {
        return new RotationRecord(user, RANGE_KEY, address.value(), RecordState.DELIVERED, Optional.of(keyId),
                Optional.empty(), deliveredAt, 0, Optional.empty());
    }

    /** The delivery a {@code delivered} record keeps. */
    public static LastDelivery fromRecord(RotationRecord record) {
        if (record.state() != RecordState.DELIVERED || !RANGE_KEY.equals(record.oldKeyId())
                || record.newKeyId().isEmpty()) {
            throw new IllegalArgumentException("not a delivery record: state " + record.state().attributeValue()
                    + ", ak " + record.oldKeyId());
        }
        return new LastDelivery(record.user(), EmailAddress.of(record.email()), record.newKeyId().get(),
                record.startedAt());
    }
}
