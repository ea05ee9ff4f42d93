package dev.ikr.rotation;

import static dev.ikr.testing.InMemoryAccount.oldKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.KeyReport;
import dev.ikr.domain.KeyStatus;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.RotationRecord;
import dev.ikr.message.MessageRenderer;
import dev.ikr.rotation.Rotator.Mode;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testing.InMemoryAccount;
import dev.ikr.testing.InMemoryAccountTest;
import dev.ikr.testing.InMemoryIdentityDirectory;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rotator with IAM's credential report: keys are listed only where the report cannot rule out a change. */
class RotatorCredentialReportTest extends InMemoryAccountTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final RotationPolicy DEFAULTS = new RotationPolicy(85, 5);

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    RotatorCredentialReportTest() {
        super(NOW);
    }

    private static String keyOf(String user) {
        return oldKey(user);
    }

    private void enrol(String user, long keyAgeInDays) {
        account.enrol(user, keyAgeInDays);
    }

    private RunSummary run(Mode mode) {
        return new Rotator(directory, table, secretStore, mailer, new MessageRenderer(),
                new Rotator.Options(DEFAULTS, true, 4), clock, new SecureRandom()).run("123456789012", mode);
    }

    private static UserOutcome outcome(RunSummary summary, String user) {
        return summary.users().stream().filter(outcome -> outcome.user().equals(user)).findFirst().orElseThrow();
    }

    @Test
    void listsOnlyTheUsersTheReportShowsDue_andRotatesThem() {
        enrol("alice", 90);
        enrol("bob", 10);
        directory.user("carol", Map.of("IKR:EMAIL", "carol@example.com", "IKR:ROTATE_AFTER_DAYS", "7"))
                .key("carol", keyOf("carol"), KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(10)));
        directory.user("erin", Map.of("IKR:EMAIL", "erin@example.com"));
        directory.credentialReportOfCurrentKeys();

        RunSummary summary = run(Mode.APPLY);

        assertThat(directory.listedUsers()).containsExactlyInAnyOrder("alice", "carol");
        assertThat(outcome(summary, "alice").action()).isEqualTo(Action.ROTATED);
        assertThat(outcome(summary, "carol").action()).isEqualTo(Action.ROTATED);
        assertThat(outcome(summary, "bob").action()).isEqualTo(Action.SKIPPED);
        assertThat(outcome(summary, "bob").reason())
                .isEqualTo("not_due: the credential report showed its key at 10 days; it is rotated at 85 days");
        assertThat(outcome(summary, "erin").reason()).startsWith("no_keys: the credential report showed no access key");
        assertThat(directory.keyIds("bob")).containsExactly(keyOf("bob"));
        assertThat(summary.credentialReport()).isEqualTo("used");
        assertThat(summary.toResponse(Map.of())).containsEntry("credentialReport", "used");
        assertThat(directory.credentialReportRequests()).isEqualTo(1);
    }

    @Test
    void neverRotatesOnTheReportAlone_theKeyListDecides() {
        enrol("alice", 3);
        directory.credentialReport(new KeyReport(NOW.minus(Duration.ofHours(3)), Map.of("alice",
                new KeyReport.UserKeys("alice", List.of(new KeyReport.ReportedKey(true,
                        Optional.of(NOW.minus(Duration.ofDays(90))))))))); // a key replaced by hand since the report

        RunSummary summary = run(Mode.APPLY);

        assertThat(directory.listedUsers()).containsExactly("alice");
        assertThat(outcome(summary, "alice").reason()).startsWith("not_due: key " + keyOf("alice") + " is 3 days old");
        assertThat(directory.keysCreated()).isZero();
        assertThat(journal).isEmpty();
    }

    @Test
    void listsTheKeys_ofAUserTheReportDoesNotKnow() {
        enrol("alice", 90);
        directory.credentialReport(new KeyReport(NOW, Map.of()));

        RunSummary summary = run(Mode.APPLY);

        assertThat(directory.listedUsers()).containsExactly("alice");
        assertThat(outcome(summary, "alice").action()).isEqualTo(Action.ROTATED);
    }

    @Test
    void listsTheKeys_whenTheTableHasARecordForTheUser_evenIfTheReportShowsAYoungKey() {
        enrol("alice", 90);
        String newKey = "AKIANEWALICE00000000";
        directory.key("alice", newKey, KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(1)));
        table.put(new RotationRecord("alice", keyOf("alice"), "alice@example.com", RecordState.PENDING_DELETION,
                Optional.of(newKey), Optional.of(NOW.plus(Duration.ofDays(4))), NOW.minus(Duration.ofDays(1)), 0,
                Optional.empty()));
        directory.credentialReport(new KeyReport(NOW, Map.of("alice", new KeyReport.UserKeys("alice", List.of(
                new KeyReport.ReportedKey(true, Optional.of(NOW.minus(Duration.ofDays(1)))))))));

        RunSummary summary = run(Mode.APPLY);

        assertThat(directory.listedUsers()).containsExactly("alice");
        assertThat(outcome(summary, "alice").reason()).startsWith("rotation_in_progress");
        assertThat(table.records()).extracting(RotationRecord::state).containsExactly(RecordState.PENDING_DELETION);
    }

    @Test
    void listsEveryTaggedUser_andSaysWhy_whenThereIsNoReport() {
        enrol("alice", 90);
        enrol("bob", 10);
        directory.credentialReportUnavailable("the role may not read the credential report (AccessDenied)");

        RunSummary summary = run(Mode.APPLY);

        assertThat(directory.listedUsers()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(outcome(summary, "alice").action()).isEqualTo(Action.ROTATED);
        assertThat(outcome(summary, "bob").reason()).startsWith("not_due: key " + keyOf("bob") + " is 10 days old");
        String expected = "unavailable: the role may not read the credential report (AccessDenied)";
        assertThat(summary.credentialReport()).isEqualTo(expected);
        assertThat(summary.toResponse(Map.of())).containsEntry("credentialReport", expected);
        assertThat(logs.lines()).anyMatch(line -> line.contains("\"level\":\"WARN\"")
                && line.contains("credential report unavailable") && line.contains("AccessDenied"));
    }

    @Test
    void planUsesTheSameReport() {
        enrol("alice", 90);
        enrol("bob", 10);
        directory.credentialReportOfCurrentKeys();

        RunSummary summary = run(Mode.PLAN);

        assertThat(directory.listedUsers()).containsExactly("alice");
        assertThat(outcome(summary, "alice").action()).isEqualTo(Action.WOULD_ROTATE);
        assertThat(outcome(summary, "bob").reason()).startsWith("not_due: the credential report showed its key");
        assertThat(summary.credentialReport()).isEqualTo("used");
        assertThat(journal).isEmpty();
    }

    @Test
    void asksForNoReport_whenNoUserIsTagged() {
        directory.user("untagged", Map.of("team", "platform"));
        directory.credentialReportOfCurrentKeys();

        RunSummary summary = run(Mode.APPLY);

        assertThat(directory.credentialReportRequests()).isZero();
        assertThat(summary.credentialReport()).isEqualTo("not asked for: no user is tagged");
    }

    @Test
    void aReportThatBlowsUp_onlyTurnsThePrefilterOff() {
        enrol("alice", 90);
        var exploding = new ExplodingReportDirectory(directory);

        RunSummary summary = new Rotator(exploding, table, secretStore, mailer, new MessageRenderer(),
                new Rotator.Options(DEFAULTS, true, 4), clock, new SecureRandom()).run("123456789012", Mode.APPLY);

        assertThat(outcome(summary, "alice").action()).isEqualTo(Action.ROTATED);
        assertThat(summary.credentialReport()).isEqualTo("unavailable: IllegalStateException: boom (test)");
    }

    /** Delegates everything, but its credential report throws (a bug, not a refusal). */
    private record ExplodingReportDirectory(InMemoryIdentityDirectory delegate)
            implements dev.ikr.port.IdentityDirectory {

        @Override
        public void forEachUser(java.util.function.Consumer<dev.ikr.domain.IamUser> consumer) {
            delegate.forEachUser(consumer);
        }

        @Override
        public Optional<dev.ikr.domain.IamUser> user(String name) {
            return delegate.user(name);
        }

        @Override
        public List<dev.ikr.domain.AccessKey> accessKeys(String user) {
            return delegate.accessKeys(user);
        }

        @Override
        public dev.ikr.domain.IssuedAccessKey createAccessKey(String user) {
            return delegate.createAccessKey(user);
        }

        @Override
        public KeyDeletion deleteAccessKey(String user, String keyId) {
            return delegate.deleteAccessKey(user, keyId);
        }

        @Override
        public void deactivateAccessKey(String user, String keyId) {
            delegate.deactivateAccessKey(user, keyId);
        }

        @Override
        public Optional<dev.ikr.domain.KeyUse> lastUse(String keyId) {
            return delegate.lastUse(keyId);
        }

        @Override
        public Optional<String> accountAlias() {
            return delegate.accountAlias();
        }

        @Override
        public dev.ikr.domain.CredentialReport credentialReport() {
            throw new IllegalStateException("boom (test)");
        }
    }
}
