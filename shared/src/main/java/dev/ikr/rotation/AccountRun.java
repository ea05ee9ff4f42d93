package dev.ikr.rotation;

import dev.ikr.domain.AccountWork;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What became of one account's message.
 *
 * @param work the message, if it could be read
 * @param summary the account's run, if it ran
 * @param reason why it did not complete; empty when it did
 * @param retry whether the queue should deliver the message again (a partial batch failure)
 */
public record AccountRun(Optional<AccountWork> work, Result result, Optional<RunSummary> summary, String reason,
        boolean retry) {

    /** The outcomes of an account's message. */
    public enum Result {
        /** Every user of the account was handled. */
        COMPLETED(false),
        /** The time ran short: the account sent itself a continuation message for the users it deferred. */
        CONTINUED(false),
        /** Users are still deferred after the last allowed continuation: the next scheduled run handles them. */
        CONTINUATION_LIMIT(true),
        /** The member role could not be assumed (missing, untrusting, throttled): retried. */
        UNREACHABLE(true),
        /** The account's run failed as a whole (access denied, an outage), or its continuation was not sent: retried. */
        FAILED(true),
        /** The message names no account this deployment rotates, or cannot be read: not retried. */
        REFUSED(true);

        private final boolean failure;

        Result(boolean failure) {
            this.failure = failure;
        }

        /** Whether it is reported as an account's failure (ERROR log, {@code AccountFailed}). */
        public boolean failure() {
            return failure;
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AccountRun {
        work = work == null ? Optional.empty() : work;
        summary = summary == null ? Optional.empty() : summary;
        java.util.Objects.requireNonNull(result, "result");
        java.util.Objects.requireNonNull(reason, "reason");
    }

    /**
     * The account's summary as the worker logs it and {@code scripts/ikr invoke rotator --account} prints it: the
     * account, the result and its reason, and the run's summary with the AWS calls it made.
     */
    public Map<String, Object> toResponse(Map<String, Long> awsCalls) {
        var response = new LinkedHashMap<String, Object>();
        work.ifPresent(message -> {
            response.put("account", message.account());
            response.put("continuation", message.continuation());
        });
        response.put("result", result.code());
        if (!reason.isEmpty()) {
            response.put("reason", reason);
        }
        summary.ifPresentOrElse(run -> response.putAll(run.toResponse(awsCalls)), () -> {
            response.put("awsCalls", awsCalls);
            response.put("totalAwsCalls", awsCalls.values().stream().mapToLong(Long::longValue).sum());
        });
        return response;
    }

    static AccountRun finished(AccountWork work, RunSummary summary, Result result, String reason) {
        return new AccountRun(Optional.of(work), result, Optional.of(summary), reason, false);
    }

    static AccountRun retried(AccountWork work, RunSummary summary, String reason) {
        return new AccountRun(Optional.of(work), Result.FAILED, Optional.of(summary), reason, true);
    }

    static AccountRun failed(AccountWork work, Result result, String reason) {
        return new AccountRun(Optional.of(work), result, Optional.empty(), reason, true);
    }

    static AccountRun refused(AccountWork work, String reason) {
        return new AccountRun(Optional.of(work), Result.REFUSED, Optional.empty(), reason, false);
    }
}
