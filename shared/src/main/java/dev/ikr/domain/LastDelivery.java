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
 * @param account the user's account; empty: the table's own
 */
public record LastDelivery(String user, EmailAddress address, String keyId, Instant deliveredAt,
        Optional<String> account) {

    /** The range key ({@code ak}) of a delivery item: no access key id can take this value. */
    public static final String RANGE_KEY = "#delivered";

    public LastDelivery {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        account = account == null ? Optional.empty() : account;
    }

    /** A delivery in the table's own account. */
    public LastDelivery(String user, EmailAddress address, String keyId, Instant deliveredAt) {
        this(user, address, keyId, deliveredAt, Optional.empty());
    }

    /**
     * The range key of a delivery item in {@code account}: {@value #RANGE_KEY} in the table's own account,
     * {@code #delivered#<account>} in another, so users of the same name in two accounts never share one.
     */
    public static String rangeKey(Optional<String> account) {
        return account.map(id -> RANGE_KEY + "#" + id).orElse(RANGE_KEY);
    }

    /** Whether {@code ak} is the range key of a delivery item (in any account). */
    public static boolean isRangeKey(String ak) {
        return ak.equals(RANGE_KEY) || ak.startsWith(RANGE_KEY + "#");
    }

    /** The delivery a finished rotation made, if its record names the key delivered and a valid address. */
    public static Optional<LastDelivery> of(RotationRecord rotation) {
        if (rotation.newKeyId().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LastDelivery(rotation.user(), EmailAddress.of(rotation.email()),
                    rotation.newKeyId().get(), rotation.startedAt(), rotation.account()));
        } catch (IllegalArgumentException notAnAddress) {
            return Optional.empty();
        }
    }

    /** As the table keeps it: a record in state {@code delivered}, keyed {@link #rangeKey}. */
    public RotationRecord toRecord() {
        return new RotationRecord(user, rangeKey(account), address.value(), RecordState.DELIVERED, Optional.of(keyId),
                Optional.empty(), deliveredAt, 0, Optional.empty()).inAccount(account);
    }

    /** The delivery a {@code delivered} record keeps. */
    public static LastDelivery fromRecord(RotationRecord record) {
        if (record.state() != RecordState.DELIVERED || !rangeKey(record.account()).equals(record.oldKeyId())
                || record.newKeyId().isEmpty()) {
            throw new IllegalArgumentException("not a delivery record: state " + record.state().attributeValue()
                    + ", ak " + record.oldKeyId());
        }
        return new LastDelivery(record.user(), EmailAddress.of(record.email()), record.newKeyId().get(),
                record.startedAt(), record.account());
    }
}
