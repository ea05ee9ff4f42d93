package dev.ikr.testing;

import dev.ikr.domain.KeyStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An account in memory for the use cases' tests: the five fakes sharing one journal of every change, in order
 * (e.g. {@code "createAccessKey alice"}), on a clock fixed at {@code now}; and the names tests give users' keys.
 */
public final class InMemoryAccount {

    public static final String ACCOUNT_ID = "123456789012";

    private final Instant now;
    private final Clock clock;
    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final InMemoryIdentityDirectory directory;
    private final InMemoryPendingDeletions table;
    private final InMemorySecretStore secretStore;
    private final RecordingMailer mailer;
    private final InMemoryKeyTargets targets;

    public InMemoryAccount(Instant now) {
        this.now = now;
        this.clock = Clock.fixed(now, ZoneOffset.UTC);
        this.directory = new InMemoryIdentityDirectory(clock, journal);
        this.table = new InMemoryPendingDeletions(journal);
        this.secretStore = new InMemorySecretStore(journal);
        this.mailer = new RecordingMailer(journal);
        this.targets = new InMemoryKeyTargets(journal);
    }

    /** The key a test user starts with: {@code AKIAOLDALICE0000...}, 20 characters. */
    public static String oldKey(String user) {
        return ("AKIAOLD" + user.toUpperCase(Locale.ROOT) + "0000000000000").substring(0, 20);
    }

    /** The key that replaced {@link #oldKey}, in tests that start after a rotation. */
    public static String newKey(String user) {
        return ("AKIANEW" + user.toUpperCase(Locale.ROOT) + "0000000000000").substring(0, 20);
    }

    public static String mailOf(String user) {
        return user + "@example.com";
    }

    /** An enrolled user ({@code IKR:EMAIL} only) with its {@link #oldKey}, active, of the given age. */
    public InMemoryAccount enrol(String user, long keyAgeInDays) {
        return enrol(user, Map.of("IKR:EMAIL", mailOf(user)), keyAgeInDays);
    }

    /** A user with these tags and its {@link #oldKey}, active, of the given age. */
    public InMemoryAccount enrol(String user, Map<String, String> tags, long keyAgeInDays) {
        directory.user(user, tags).key(user, oldKey(user), KeyStatus.ACTIVE, now.minus(Duration.ofDays(keyAgeInDays)));
        return this;
    }

    public Clock clock() {
        return clock;
    }

    public List<String> journal() {
        return journal;
    }

    public InMemoryIdentityDirectory directory() {
        return directory;
    }

    public InMemoryPendingDeletions table() {
        return table;
    }

    public InMemorySecretStore secretStore() {
        return secretStore;
    }

    public RecordingMailer mailer() {
        return mailer;
    }

    public InMemoryKeyTargets targets() {
        return targets;
    }
}
