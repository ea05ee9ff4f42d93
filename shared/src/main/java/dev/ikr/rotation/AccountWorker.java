package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.domain.AccountSelection;
import dev.ikr.domain.AccountWork;
import dev.ikr.log.JsonLog;
import dev.ikr.port.AccountQueue;
import dev.ikr.port.AccountUnreachableException;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * One account's rotation, for one message of the queue: the {@link Rotator} of that account (wired to its member
 * role's clients and to the hub's table and mailer) runs as the scheduled run does in a single account. When the
 * function's time runs short and users are left {@code deferred}, the account sends itself a continuation message
 * (at most {@value #MAX_CONTINUATIONS} per run), so nothing is skipped and no account waits for another. An account
 * whose role cannot be assumed, or whose run fails as a whole, is reported and its message retried; every other
 * account goes on.
 */
public final class AccountWorker {

    /** Continuations of one account in one run, after which the rest waits for the next scheduled run. */
    public static final int MAX_CONTINUATIONS = 20;

    private static final JsonLog LOG = JsonLog.forClass(AccountWorker.class);

    /** The rotators of the member accounts (built by the wiring; their clients act under the member role). */
    public interface AccountRotators {

        /**
         * The rotator of {@code account}, its role assumed.
         *
         * @throws dev.ikr.port.AccountUnreachableException when the role cannot be assumed
         */
        Rotator open(String account);
    }

    private final AccountSelection selection;
    private final AccountRotators rotators;
    private final AccountQueue queue;

    public AccountWorker(AccountSelection selection, AccountRotators rotators, AccountQueue queue) {
        this.selection = selection;
        this.rotators = rotators;
        this.queue = queue;
    }

    /** Rotates the account of {@code work}, or says why not; never throws for one account's failure. */
    public AccountRun run(AccountWork work, Rotator.TimeLeft timeLeft) {
        String account = work.account();
        if (selection.isSelf()) {
            return logged(AccountRun.refused(work, "ACCOUNTS is self: this deployment rotates its own account only,"
                    + " and no account's message is acted on"));
        }
        if (selection instanceof AccountSelection.Listed listed && !listed.accounts().contains(account)) {
            return logged(AccountRun.refused(work, "the account is not one ACCOUNTS lists: nothing is done in it"));
        }
        RunSummary summary;
        try {
            Rotator rotator = rotators.open(account);
            summary = rotator.run(account, Rotator.Mode.APPLY, timeLeft);
        } catch (AccountUnreachableException unreachable) {
            return logged(AccountRun.failed(work, AccountRun.Result.UNREACHABLE, unreachable.getMessage()));
        } catch (RuntimeException e) {
            return logged(AccountRun.failed(work, AccountRun.Result.FAILED, "the run in account " + account
                    + " failed: " + describe(e)));
        }
        long deferred = summary.counts().getOrDefault(Action.DEFERRED, 0);
        if (deferred == 0) {
            return logged(AccountRun.finished(work, summary, AccountRun.Result.COMPLETED, ""));
        }
        if (work.continuation() >= MAX_CONTINUATIONS) {
            return logged(AccountRun.finished(work, summary, AccountRun.Result.CONTINUATION_LIMIT, deferred
                    + " user(s) deferred after " + MAX_CONTINUATIONS + " continuations: the next scheduled run"
                    + " handles them"));
        }
        List<AccountQueue.Unsent> unsent;
        try {
            unsent = queue.send(List.of(work.next()));
        } catch (RuntimeException e) {
            unsent = List.of(new AccountQueue.Unsent(account, describe(e)));
        }
        if (!unsent.isEmpty()) {
            return logged(AccountRun.retried(work, summary, deferred + " user(s) deferred, and the continuation"
                    + " could not be sent (" + unsent.getFirst().reason() + "): the message is retried"));
        }
        return logged(AccountRun.finished(work, summary, AccountRun.Result.CONTINUED, deferred
                + " user(s) deferred: continuation " + (work.continuation() + 1) + " sent"));
    }

    private static AccountRun logged(AccountRun run) {
        var fields = new HashMap<String, Object>();
        fields.put("account", run.work().map(AccountWork::account).orElse("?"));
        fields.put("result", run.result().code());
        run.work().ifPresent(work -> fields.put("continuation", work.continuation()));
        if (!run.reason().isEmpty()) {
            fields.put("reason", run.reason());
        }
        run.summary().ifPresent(summary -> fields.put("counts", summary.counts()));
        LOG.write(run.result().failure() ? JsonLog.Level.ERROR : JsonLog.Level.INFO, "account run", fields);
        return run;
    }

    /** A message that is not an account's work: reported, never retried (it cannot succeed). */
    public static AccountRun unreadable(String reason) {
        return logged(new AccountRun(Optional.empty(), AccountRun.Result.REFUSED, Optional.empty(),
                "the message cannot be read: " + reason, false));
    }
}
