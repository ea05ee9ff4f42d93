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
 * @param finalDeleteOn in two stages, while {@code deleteOn} is the date the old key is deactivated: the date it is
 *     deleted; empty once it was deactivated, and in a single stage ({@code deleteOn} is then the deletion)
 * @param postponements how often the current step was postponed because the old key was still in use
 * @param checkedAt when the old key's use was last checked (a postponement or the deactivation): a use before it
 *     was already answered; empty: the rotation's start is the mark
 * @param account the AWS account of the user and its keys (attribute {@code account}, 12 digits); empty: the account
 *     the table is in (the original project's items, and every item of a deployment with {@code ACCOUNTS=self})
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
        Optional<String> reason,
        Optional<Instant> finalDeleteOn,
        int postponements,
        Optional<Instant> checkedAt,
        Optional<String> account) {

    /** A record of a single stage that was never postponed. */
    public RotationRecord(String user, String oldKeyId, String email, RecordState state, Optional<String> newKeyId,
            Optional<Instant> deleteOn, Instant startedAt, int attempts, Optional<String> reason) {
        this(user, oldKeyId, email, state, newKeyId, deleteOn, startedAt, attempts, reason, Optional.empty(), 0,
                Optional.empty());
    }

    /** A record of the table's own account. */
    public RotationRecord(String user, String oldKeyId, String email, RecordState state, Optional<String> newKeyId,
            Optional<Instant> deleteOn, Instant startedAt, int attempts, Optional<String> reason,
            Optional<Instant> finalDeleteOn, int postponements, Optional<Instant> checkedAt) {
        this(user, oldKeyId, email, state, newKeyId, deleteOn, startedAt, attempts, reason, finalDeleteOn,
                postponements, checkedAt, Optional.empty());
    }

    public RotationRecord {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(oldKeyId, "oldKeyId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        newKeyId = newKeyId == null ? Optional.empty() : newKeyId;
        deleteOn = deleteOn == null ? Optional.empty() : deleteOn;
        reason = reason == null ? Optional.empty() : reason;
        finalDeleteOn = finalDeleteOn == null ? Optional.empty() : finalDeleteOn;
        checkedAt = checkedAt == null ? Optional.empty() : checkedAt;
        account = account == null ? Optional.empty() : account;
        if (account.isPresent() && !AccountSelection.isAccountId(account.get())) {
            throw new IllegalArgumentException("the record's account must be a 12-digit AWS account id");
        }
        if (state == RecordState.PENDING_DELETION && deleteOn.isEmpty()) {
            throw new IllegalArgumentException("a pending deletion needs its delete_on date");
        }
        if (attempts < 0 || postponements < 0) {
            throw new IllegalArgumentException("attempts and postponements cannot be negative");
        }
        if (finalDeleteOn.isPresent() && deleteOn.isPresent() && !finalDeleteOn.get().isAfter(deleteOn.get())) {
            throw new IllegalArgumentException("the deletion date must come after the deactivation date");
        }
    }

    /** The intent written before a key is created. */
    public static RotationRecord intent(String user, String oldKeyId, EmailAddress email, Instant now) {
        return new RotationRecord(user, oldKeyId, email.value(), RecordState.ROTATING,
                Optional.empty(), Optional.empty(), now, 0, Optional.empty());
    }

    /** The same record in {@code account} (empty: the table's own account). */
    public RotationRecord inAccount(Optional<String> account) {
        return new RotationRecord(user, oldKeyId, email, state, newKeyId, deleteOn, startedAt, attempts, reason,
                finalDeleteOn, postponements, checkedAt, account);
    }

    public boolean isIntent() {
        return state == RecordState.ROTATING;
    }

    /** The intent once its new key is known. */
    public RotationRecord withNewKey(String createdKeyId) {
        return new RotationRecord(user, oldKeyId, email, state, Optional.of(createdKeyId), deleteOn, startedAt,
                attempts, reason, finalDeleteOn, postponements, checkedAt, account);
    }

    /** The intent once the new key was delivered: the old key goes at {@code when}. */
    public RotationRecord scheduled(String deliveredKeyId, Instant when) {
        return scheduled(deliveredKeyId, Optional.empty(), when);
    }

    /**
     * The intent once the new key was delivered: the old key is deactivated at {@code deactivateOn}, if given, and
     * deleted at {@code deleteOn}.
     */
    public RotationRecord scheduled(String deliveredKeyId, Optional<Instant> deactivateOn, Instant when) {
        return new RotationRecord(user, oldKeyId, email, RecordState.PENDING_DELETION, Optional.of(deliveredKeyId),
                Optional.of(deactivateOn.orElse(when)), startedAt, attempts, Optional.empty(),
                deactivateOn.map(ignored -> when), 0, Optional.empty(), account);
    }

    /** Whether the step this pending deletion waits for is the deactivation (else it is the deletion). */
    public boolean awaitsDeactivation() {
        return finalDeleteOn.isPresent();
    }

    /** When the old key is deleted: the deletion date of two stages, or {@code deleteOn}. */
    public Optional<Instant> deletionDate() {
        return finalDeleteOn.isPresent() ? finalDeleteOn : deleteOn;
    }

    /** The same record, after {@code count} failed deletion attempts. */
    public RotationRecord withAttempts(int count) {
        return new RotationRecord(user, oldKeyId, email, state, newKeyId, deleteOn, startedAt, count, reason,
                finalDeleteOn, postponements, checkedAt, account);
    }

    /** A pending deletion to try again at {@code when}, one more failed attempt counted, and why it failed. */
    public RotationRecord retryAt(Instant when, String cause) {
        return new RotationRecord(user, oldKeyId, email, RecordState.PENDING_DELETION, newKeyId, Optional.of(when),
                startedAt, attempts + 1, Optional.of(cause), finalDeleteOn.filter(when::isBefore), postponements,
                checkedAt, account);
    }

    /**
     * The current step moved to {@code when}, checked at {@code now}, because the old key is still in use: a later
     * deletion date moves by as much, and the postponement is counted.
     */
    public RotationRecord postponedTo(Instant when, Instant now, String why) {
        Instant from = deleteOn.orElse(now);
        Optional<Instant> later = finalDeleteOn.map(at -> at.plus(java.time.Duration.between(from, when)));
        return new RotationRecord(user, oldKeyId, email, RecordState.PENDING_DELETION, newKeyId, Optional.of(when),
                startedAt, attempts, Optional.of(why), later, postponements + 1, Optional.of(now), account);
    }

    /** Once the old key was deactivated at {@code now}: the item now waits for the deletion date. */
    public RotationRecord deactivated(Instant now) {
        return new RotationRecord(user, oldKeyId, email, RecordState.PENDING_DELETION, newKeyId, deletionDate(),
                startedAt, 0, Optional.empty(), Optional.empty(), 0, Optional.of(now), account);
    }

    /** Uses of the old key after this time are uses after the new key was delivered (or after the last check). */
    public Instant inUseSince() {
        return checkedAt.orElse(startedAt);
    }

    /** The record parked for a person: no TTL, so nothing is deleted automatically, and why. */
    public RotationRecord parked(String why) {
        return new RotationRecord(user, oldKeyId, email, RecordState.NEEDS_ATTENTION, newKeyId, Optional.empty(),
                startedAt, attempts, Optional.of(why), Optional.empty(), postponements, checkedAt, account);
    }
}
