package dev.ikr.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the rotation table: the old key of a user and what happens to it. It holds key ids,
 * never a secret.
 *
 * @param user the IAM user name (hash key {@code user})
 * @param oldKeyId the key being replaced (range key {@code ak})
 * @param email the owner's address at the time of the rotation
 * @param state where the rotation stands
 * @param newKeyId the key created to replace it, once known
 * @param deleteOn when the old key goes (the table's TTL); only for {@link RecordState#PENDING_DELETION}
 * @param startedAt when the rotation started
 * @param attempts failed deletion attempts so far
 * @param reason why a person is needed, for {@link RecordState#NEEDS_ATTENTION}
 */
public record RotationRecord(
        String user,
        String oldKeyId,
        String email,
        RecordState state,
        Optional<String> newKeyId,
        Optional<Instant> deleteOn,
        Instant startedAt,
        int attempts,
        Optional<String> reason) {

    public RotationRecord {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(oldKeyId, "oldKeyId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        newKeyId = newKeyId == null ? Optional.empty() : newKeyId;
        deleteOn = deleteOn == null ? Optional.empty() : deleteOn;
        reason = reason == null ? Optional.empty() : reason;
        if (state == RecordState.PENDING_DELETION && deleteOn.isEmpty()) {
            throw new IllegalArgumentException("a pending deletion needs its delete_on date");
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts cannot be negative");
        }
    }

    /** The intent written before a key is created. */
    public static RotationRecord intent(String user, String oldKeyId, EmailAddress email, Instant now) {
        return new RotationRecord(user, oldKeyId, email.value(), RecordState.ROTATING,
                Optional.empty(), Optional.empty(), now, 0, Optional.empty());
    }

    public boolean isIntent() {
        return state == RecordState.ROTATING;
    }

    /** The intent once its new key is known. */
    public RotationRecord withNewKey(String createdKeyId) {
        return new RotationRecord(user, oldKeyId, email, state, Optional.of(createdKeyId), deleteOn, startedAt,
                attempts, reason);
    }

    /** The intent once the new key was delivered: the old key goes at {@code when}. */
    public RotationRecord scheduled(String deliveredKeyId, Instant when) {
        return new RotationRecord(user, oldKeyId, email, RecordState.PENDING_DELETION, Optional.of(deliveredKeyId),
                Optional.of(when), startedAt, attempts, Optional.empty());
    }

    /** The same record, after {@code count} failed deletion attempts. */
    public RotationRecord withAttempts(int count) {
        return new RotationRecord(user, oldKeyId, email, state, newKeyId, deleteOn, startedAt, count, reason);
    }

    /** A pending deletion to try again at {@code when}, one more failed attempt counted, and why it failed. */
    public RotationRecord retryAt(Instant when, String cause) {
        return new RotationRecord(user, oldKeyId, email, RecordState.PENDING_DELETION, newKeyId, Optional.of(when),
                startedAt, attempts + 1, Optional.of(cause));
    }

    /** The record parked for a person: no TTL, so nothing is deleted automatically, and why. */
    public RotationRecord parked(String why) {
        return new RotationRecord(user, oldKeyId, email, RecordState.NEEDS_ATTENTION, newKeyId, Optional.empty(),
                startedAt, attempts, Optional.of(why));
    }
}
