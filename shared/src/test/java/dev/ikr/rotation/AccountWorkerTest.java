package dev.ikr.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.AccountSelection;
import dev.ikr.domain.AccountWork;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.AccountQueue;
import dev.ikr.port.AccountUnreachableException;
import dev.ikr.testing.InMemoryAccount;
import dev.ikr.testing.InMemoryPendingDeletions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccountWorkerTest {

    private static final Instant NOW = Instant.parse("2027-03-01T12:00:00Z");
    private static final String MEMBER = "111111111111";
    private static final String OTHER = "222222222222";
    private static final AccountWork WORK = AccountWork.first(MEMBER, NOW.minusSeconds(30));
    private static final Rotator.TimeLeft SHORT = () -> Duration.ofSeconds(10);

    private final InMemoryAccount member = new InMemoryAccount(NOW).enrol("alice", 100).enrol("bob", 100);
    private final List<AccountWork> sent = new ArrayList<>();
    private final List<String> opened = new ArrayList<>();
    private AccountQueue queue = work -> {
        sent.addAll(work);
        return List.of();
    };

    private AccountWorker worker(AccountSelection selection) {
        return new AccountWorker(selection, account -> {
            opened.add(account);
            return new Rotator(member.directory(), new AccountScopedDeletions(member.table(), Optional.of(account)),
                    member.secretStore(), member.mailer(), new MessageRenderer(),
                    new Rotator.Options(new RotationPolicy(30, 5), true, 2), member.clock(), new SecureRandom());
        }, work -> queue.send(work));
    }

    private AccountWorker listed() {
        return worker(new AccountSelection.Listed(List.of(MEMBER)));
    }

    @Test
    void rotatesTheAccount_itsItemsNameIt_andTheMessageIsDone() {
        AccountRun run = listed().run(WORK, Rotator.TimeLeft.UNLIMITED);

        assertThat(run.result()).isEqualTo(AccountRun.Result.COMPLETED);
        assertThat(run.retry()).isFalse();
        assertThat(run.summary().orElseThrow().counts()).containsEntry(Action.ROTATED, 2);
        assertThat(member.table().records()).hasSize(2)
                .allSatisfy(record -> assertThat(record.account()).contains(MEMBER));
        assertThat(sent).isEmpty();
        assertThat(run.toResponse(java.util.Map.of("sts:AssumeRole", 1L))).containsEntry("account", MEMBER)
                .containsEntry("result", "completed").containsEntry("totalAwsCalls", 1L);
    }

    @Test
    void anAccountShortOfTime_sendsItselfAContinuation_andItsMessageSucceeds() {
        AccountRun run = listed().run(WORK, SHORT);

        assertThat(run.result()).isEqualTo(AccountRun.Result.CONTINUED);
        assertThat(run.retry()).isFalse();
        assertThat(run.summary().orElseThrow().counts()).containsEntry(Action.DEFERRED, 2);
        assertThat(sent).containsExactly(new AccountWork(MEMBER, WORK.dispatchedAt(), 1));
        assertThat(member.table().records()).isEmpty();
    }

    @Test
    void afterTheLastContinuation_theRestWaitsForTheNextScheduledRun_andTheAccountIsReported() {
        AccountRun run = listed().run(new AccountWork(MEMBER, WORK.dispatchedAt(), AccountWorker.MAX_CONTINUATIONS),
                SHORT);

        assertThat(run.result()).isEqualTo(AccountRun.Result.CONTINUATION_LIMIT);
        assertThat(run.result().failure()).isTrue();
        assertThat(run.retry()).isFalse();
        assertThat(run.reason()).contains("2 user(s) deferred after 20 continuations");
        assertThat(sent).isEmpty();
    }

    @Test
    void aContinuationTheQueueRefuses_isRetriedWithTheMessage() {
        queue = work -> List.of(new AccountQueue.Unsent(MEMBER, "AccessDenied: no sqs:SendMessage"));

        AccountRun run = listed().run(WORK, SHORT);

        assertThat(run.result()).isEqualTo(AccountRun.Result.FAILED);
        assertThat(run.retry()).isTrue();
        assertThat(run.reason()).contains("continuation could not be sent", "no sqs:SendMessage");
    }

    @Test
    void anAccountWhoseRoleCannotBeAssumed_isReportedAndRetried() {
        var worker = new AccountWorker(new AccountSelection.Listed(List.of(MEMBER)), account -> {
            throw new AccountUnreachableException(account, "the role cannot be assumed (AccessDenied)");
        }, queue);

        AccountRun run = worker.run(WORK, Rotator.TimeLeft.UNLIMITED);

        assertThat(run.result()).isEqualTo(AccountRun.Result.UNREACHABLE);
        assertThat(run.retry()).isTrue();
        assertThat(run.summary()).isEmpty();
        assertThat(run.reason()).contains(MEMBER, "AccessDenied");
    }

    @Test
    void aRunThatFailsAsAWhole_isReportedAndRetried() {
        member.table().fail(InMemoryPendingDeletions.Operation.ALL);

        AccountRun run = listed().run(WORK, Rotator.TimeLeft.UNLIMITED);

        assertThat(run.result()).isEqualTo(AccountRun.Result.FAILED);
        assertThat(run.retry()).isTrue();
        assertThat(run.reason()).contains("the run in account " + MEMBER + " failed", "unavailable");
    }

    @Test
    void aMessageForAnAccountNotListed_isRefused_neverOpened_andNotRetried() {
        AccountRun run = listed().run(AccountWork.first(OTHER, NOW), Rotator.TimeLeft.UNLIMITED);

        assertThat(run.result()).isEqualTo(AccountRun.Result.REFUSED);
        assertThat(run.retry()).isFalse();
        assertThat(opened).isEmpty();
    }

    @Test
    void withAccountsSelf_noMessageIsActedOn() {
        AccountRun run = worker(AccountSelection.SELF).run(WORK, Rotator.TimeLeft.UNLIMITED);

        assertThat(run.result()).isEqualTo(AccountRun.Result.REFUSED);
        assertThat(opened).isEmpty();
    }

    @Test
    void anyAccountOfTheOrganization_isOpened() {
        AccountRun run = worker(new AccountSelection.Organization(List.of())).run(AccountWork.first(OTHER, NOW),
                Rotator.TimeLeft.UNLIMITED);

        assertThat(run.result()).isEqualTo(AccountRun.Result.COMPLETED);
        assertThat(opened).containsExactly(OTHER);
    }
}
