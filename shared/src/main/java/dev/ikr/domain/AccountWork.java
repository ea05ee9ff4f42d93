package dev.ikr.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One account's share of a scheduled run, as the queue carries it
 * ({@code {"account":"<12 digits>","dispatchedAt":"<ISO instant>","continuation":<n>}}).
 *
 * @param account the account to rotate
 * @param dispatchedAt when the scheduled run sent it (a continuation keeps the run's time)
 * @param continuation how often the account re-sent itself in this run because its time ran out (0: the first)
 */
public record AccountWork(String account, Instant dispatchedAt, int continuation) {

    public AccountWork {
        Objects.requireNonNull(dispatchedAt, "dispatchedAt");
        if (!AccountSelection.isAccountId(account)) {
            throw new IllegalArgumentException("the message's account must be a 12-digit account id");
        }
        if (continuation < 0) {
            throw new IllegalArgumentException("the message's continuation cannot be negative");
        }
    }

    /** The first message of a run for {@code account}. */
    public static AccountWork first(String account, Instant dispatchedAt) {
        return new AccountWork(account, dispatchedAt, 0);
    }

    /** The message an account sends itself to go on where its run stopped. */
    public AccountWork next() {
        return new AccountWork(account, dispatchedAt, continuation + 1);
    }
}
