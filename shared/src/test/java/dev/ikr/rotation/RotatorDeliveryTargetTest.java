package dev.ikr.rotation;

import static dev.ikr.testing.InMemoryAccount.mailOf;
import static dev.ikr.testing.InMemoryAccount.oldKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.DeliveryBounds;
import dev.ikr.domain.KeyHandover;
import dev.ikr.domain.MailMessage;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.message.MessageRenderer;
import dev.ikr.rotation.Rotator.Mode;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testing.InMemoryAccountTest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code IKR:DELIVER_TO}: the key goes to the target, its owner is told where, and a failed delivery is withdrawn. */
class RotatorDeliveryTargetTest extends InMemoryAccountTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final DeliveryBounds BOUNDS = new DeliveryBounds(Optional.of("ikr/"), Optional.of("/ikr/keys/"),
            Set.of("deliver-key"));
    private static final String SECRET_TARGET = "secretsmanager:ikr/alice";

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    RotatorDeliveryTargetTest() {
        super(NOW);
    }

    private void enrol(String user, String deliverTo) {
        account.enrol(user, Map.of("IKR:EMAIL", mailOf(user), "ikr:deliver_to", deliverTo), 90);
    }

    private RunSummary apply() {
        return new Rotator(directory, table, secretStore, targets, mailer, new MessageRenderer(),
                new Rotator.Options(new RotationPolicy(85, 5), true, 4, AllowedEmailDomains.any(), Optional.empty(),
                        BOUNDS), clock, new SecureRandom()).run("123456789012", Mode.APPLY);
    }

    private static UserOutcome outcome(RunSummary summary, String user) {
        return summary.users().stream().filter(outcome -> outcome.user().equals(user)).findFirst().orElseThrow();
    }

    @Test
    void deliversTheKeyToTheTarget_thenTellsTheOwnerWhereWithoutTheSecret_andSchedulesTheOldKey() {
        enrol("alice", SECRET_TARGET);

        UserOutcome outcome = outcome(apply(), "alice");

        String newKey = outcome.newKeyId().orElseThrow();
        assertThat(outcome.action()).isEqualTo(Action.ROTATED);
        assertThat(outcome.reason()).contains("new key delivered to " + SECRET_TARGET
                + "; its owner alice@example.com was told");
        assertThat(journal).as("no decryption key: ENCRYPT_KEY_PAIR is for mail only").containsExactly(
                "recordIntent alice", "createAccessKey alice", "recordNewKey alice",
                "deliver alice " + SECRET_TARGET, "send alice@example.com", "scheduleDeletion alice");
        KeyHandover delivered = targets.holding(SECRET_TARGET);
        assertThat(delivered.key().id()).isEqualTo(newKey);
        assertThat(delivered.key().secret()).isEqualTo(directory.secretOf(0));
        assertThat(delivered.oldKeyId()).isEqualTo(oldKey("alice"));
        assertThat(delivered.deleteOn()).isEqualTo(NOW.plus(Duration.ofDays(5)));
        assertThat(secretStore.stored()).isEmpty();
        MailMessage mail = mailer.sentTo("alice@example.com").getFirst();
        assertThat(mail.subject()).contains("delivered to " + SECRET_TARGET);
        assertThat(mail.text()).contains("the Secrets Manager secret ikr/alice", newKey, oldKey("alice"),
                "2026-03-06 12:00 UTC").doesNotContain(directory.secretOf(0)).doesNotContain("gAAAAA");
        assertThat(mail.html()).doesNotContain(directory.secretOf(0));
        assertThat(table.find("alice", oldKey("alice")).orElseThrow().state()).isEqualTo(RecordState.PENDING_DELETION);
    }

    @Test
    void aTargetThatRefusesTheKey_withdrawsIt_schedulesNothing_mailsNothing_andFailsTheUser() {
        enrol("alice", SECRET_TARGET);
        targets.refuse(SECRET_TARGET);

        RunSummary summary = apply();

        UserOutcome outcome = outcome(summary, "alice");
        assertThat(outcome.action()).isEqualTo(Action.FAILED);
        assertThat(outcome.reason()).contains("the new key could not be delivered", SECRET_TARGET,
                "the new key was deleted and the next run tries again");
        assertThat(directory.keyIds("alice")).containsExactly(oldKey("alice"));
        assertThat(table.records()).isEmpty();
        assertThat(mailer.sent()).isEmpty();
        assertThat(summary.anyFailed()).isTrue();
    }

    @Test
    void anOwnerMailThatFailsAfterTheTargetTookTheKey_leavesTheRotationStanding_andSaysSo() {
        enrol("alice", SECRET_TARGET);
        mailer.fail();

        UserOutcome outcome = outcome(apply(), "alice");

        assertThat(outcome.action()).isEqualTo(Action.ROTATED);
        assertThat(outcome.reason()).contains("telling its owner alice@example.com failed",
                "the key stands: the target holds it");
        assertThat(directory.keyIds("alice")).hasSize(2).contains(outcome.newKeyId().orElseThrow());
        assertThat(table.find("alice", oldKey("alice")).orElseThrow().state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(logs.all()).contains("owner not told of the delivery").doesNotContain(directory.secretOf(0));
    }

    @Test
    void targetsOffOrOutsideTheirBounds_orMalformed_makeTheirUserMisconfigured_andTheOthersRotate() {
        enrol("alice", "ssm:/ikr/keys/alice");
        enrol("bob", "ssm:/other/bob");
        enrol("carol", "lambda:someone-elses-function");
        enrol("dave", "ftp:/keys/dave");
        enrol("erin", "secretsmanager:ikr/erin key");
        enrol("frank", " ");

        RunSummary summary = apply();

        assertThat(outcome(summary, "alice").action()).isEqualTo(Action.ROTATED);
        assertThat(targets.holding("ssm:/ikr/keys/alice").user()).isEqualTo("alice");
        assertThat(outcome(summary, "bob").reason()).isEqualTo("IKR:DELIVER_TO: parameter '/other/bob' does not"
                + " start with DELIVERY_PARAMETER_PREFIX '/ikr/keys/'");
        assertThat(outcome(summary, "carol").reason()).isEqualTo("IKR:DELIVER_TO: function 'someone-elses-function'"
                + " is not one of DELIVERY_FUNCTIONS (deliver-key)");
        assertThat(outcome(summary, "dave").reason()).contains("unknown target kind 'ftp'");
        assertThat(outcome(summary, "erin").reason()).contains("not a valid secret name");
        assertThat(outcome(summary, "frank").reason()).contains("is not KIND:NAME");
        for (String user : new String[] {"bob", "carol", "dave", "erin", "frank"}) {
            assertThat(outcome(summary, user).action()).as(user).isEqualTo(Action.MISCONFIGURED);
            assertThat(directory.keyIds(user)).as(user).containsExactly(oldKey(user));
        }
        assertThat(journal).filteredOn(line -> line.startsWith("createAccessKey")).containsExactly(
                "createAccessKey alice");
    }
}
