package dev.ikr.testing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The base of the use cases' tests: an {@link InMemoryAccount} at {@code now}, its fakes as fields, and the journal
 * of every change they saw, in order (e.g. {@code "createAccessKey alice"}).
 */
public abstract class InMemoryAccountTest {

    protected final InMemoryAccount account;
    protected final Clock clock;
    protected final List<String> journal;
    protected final InMemoryIdentityDirectory directory;
    protected final InMemoryPendingDeletions table;
    protected final InMemorySecretStore secretStore;
    protected final RecordingMailer mailer;
    protected final InMemoryKeyTargets targets;

    protected InMemoryAccountTest(Instant now) {
        this.account = new InMemoryAccount(now);
        this.clock = account.clock();
        this.journal = account.journal();
        this.directory = account.directory();
        this.table = account.table();
        this.secretStore = account.secretStore();
        this.mailer = account.mailer();
        this.targets = account.targets();
    }
}
