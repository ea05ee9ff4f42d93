package dev.ikr.cli.rotateself;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.cli.rotateself.SelfRotationOutcome.BothKeysKept;
import dev.ikr.cli.rotateself.SelfRotationOutcome.NotUsable;
import dev.ikr.cli.rotateself.SelfRotationOutcome.OldKey;
import dev.ikr.cli.rotateself.SelfRotationOutcome.OldKeyNotRetired;
import dev.ikr.cli.rotateself.SelfRotationOutcome.Refused;
import dev.ikr.cli.rotateself.SelfRotationOutcome.RolledBack;
import dev.ikr.cli.rotateself.SelfRotationOutcome.Rotated;
import dev.ikr.domain.DeliveryException;
import dev.ikr.domain.KeyStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelfRotationTest {

    private final FakeIam iam = new FakeIam();
    private final TestClock clock = new TestClock();
    private final List<Duration> pauses = new ArrayList<>();
    private final SelfRotation rotation = new SelfRotation(iam, clock, pause -> {
        pauses.add(pause);
        clock.advance(pause);
    }, SelfRotation.PATIENCE);
    private final List<NewKey> written = new ArrayList<>();
    private final KeyDestination destination = key -> {
        written.add(key);
        return "test-destination";
    };

    @Test
    void rotatesTheKey_writesTheNewOneOnce_thenDeactivatesTheOldOne_andDeletesItSignedWithTheNewKey() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);

        var outcome = rotation.rotate(old, destination, false);

        Rotated rotated = (Rotated) outcome;
        assertThat(written).hasSize(1);
        NewKey created = written.getFirst();
        assertThat(created.user()).isEqualTo("alice");
        assertThat(rotated).isEqualTo(new Rotated("alice", old.accessKeyId(), created.accessKeyId(),
                "test-destination", OldKey.DELETED, Optional.empty()));
        assertThat(iam.keyIds("alice")).containsExactly(created.accessKeyId());
        String newId = created.accessKeyId();
        assertThat(iam.calls).containsExactly(
                "GetCallerIdentity by " + old.accessKeyId(),
                "ListAccessKeys alice by " + old.accessKeyId(),
                "CreateAccessKey alice by " + old.accessKeyId(),
                "GetCallerIdentity by " + newId,
                "UpdateAccessKey " + old.accessKeyId() + " by " + old.accessKeyId(),
                "DeleteAccessKey " + old.accessKeyId() + " by " + newId);
        assertThat(pauses).isEmpty();
    }

    @Test
    void keepOld_leavesTheOldKeyInactive() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);

        var outcome = (Rotated) rotation.rotate(old, destination, true);

        assertThat(outcome.oldKey()).isEqualTo(OldKey.INACTIVE);
        assertThat(iam.status(old.accessKeyId())).isEqualTo(KeyStatus.INACTIVE);
        assertThat(iam.keyIds("alice")).hasSize(2);
    }

    @Test
    void anInactiveSecondKey_isDeletedFirst_toMakeRoom() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);
        KeyPair spare = iam.addKey("alice", KeyStatus.INACTIVE);

        var outcome = (Rotated) rotation.rotate(old, destination, false);

        assertThat(outcome.removedInactiveKeyId()).contains(spare.accessKeyId());
        assertThat(iam.keyIds("alice")).containsExactly(outcome.newKeyId());
        assertThat(iam.calls.indexOf("DeleteAccessKey " + spare.accessKeyId() + " by " + old.accessKeyId()))
                .isLessThan(iam.calls.indexOf("CreateAccessKey alice by " + old.accessKeyId()));
    }

    @Test
    void twoActiveKeys_areRefused_andNothingChanges() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);
        KeyPair other = iam.addKey("alice", KeyStatus.ACTIVE);

        var outcome = rotation.rotate(old, destination, false);

        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(((Refused) outcome).reason()).contains("two active keys").contains(other.accessKeyId())
                .contains("nothing was changed");
        assertThat(iam.keyIds("alice")).containsExactly(old.accessKeyId(), other.accessKeyId());
        assertThat(written).isEmpty();
    }

    @Test
    void aKeyOfRootOrOfARole_orAKeyAwsRejects_isNotUsable() {
        KeyPair root = iam.addKey("root-owner", KeyStatus.ACTIVE);
        iam.arnOverrides.put("root-owner", "arn:aws:iam::123456789012:root");
        KeyPair role = iam.addKey("role-owner", KeyStatus.ACTIVE);
        iam.arnOverrides.put("role-owner", "arn:aws:sts::123456789012:assumed-role/deploy/ci");

        assertThat(rotation.rotate(root, destination, false)).isInstanceOfSatisfying(NotUsable.class,
                notUsable -> assertThat(notUsable.reason()).contains("root user").contains("is not an IAM user's"));
        assertThat(rotation.rotate(role, destination, false)).isInstanceOfSatisfying(NotUsable.class,
                notUsable -> assertThat(notUsable.reason()).contains("assumed role"));
        assertThat(rotation.rotate(new KeyPair("AKIAUNKNOWN", "secret"), destination, false))
                .isInstanceOfSatisfying(NotUsable.class,
                        notUsable -> assertThat(notUsable.reason()).contains("does not accept"));
        assertThat(iam.keys).hasSize(2);
        assertThat(written).isEmpty();
    }

    @Test
    void theNewKey_isWaitedFor_withShortGrowingPauses_untilItWorks() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);
        iam.rejectionsOfNewKeys = 4;

        var outcome = rotation.rotate(old, destination, false);

        assertThat(outcome).isInstanceOf(Rotated.class);
        assertThat(pauses).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(2));
    }

    @Test
    void aNewKeyThatNeverWorks_isDeletedAgain_afterAbout30Seconds_andTheOldOneStays() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);
        iam.rejectionsOfNewKeys = Integer.MAX_VALUE;

        var outcome = rotation.rotate(old, destination, false);

        assertThat(outcome).isInstanceOfSatisfying(RolledBack.class, rolledBack -> assertThat(rolledBack.reason())
                .contains("did not work within 30 s").contains("deleted again"));
        assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus))
                .isBetween(Duration.ofSeconds(28), Duration.ofSeconds(30));
        assertThat(iam.keyIds("alice")).containsExactly(old.accessKeyId());
        assertThat(iam.status(old.accessKeyId())).isEqualTo(KeyStatus.ACTIVE);
        assertThat(written).isEmpty();
    }

    @Test
    void aWriteThatSurelyFailed_deletesTheNewKey_signedWithTheOldOne() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);

        var outcome = rotation.rotate(old, key -> {
            throw DeliveryException.notWritten("disk full", null);
        }, false);

        assertThat(outcome).isInstanceOfSatisfying(RolledBack.class, rolledBack -> assertThat(rolledBack.reason())
                .contains("not written: disk full").contains("deleted again"));
        assertThat(iam.keyIds("alice")).containsExactly(old.accessKeyId());
        assertThat(iam.status(old.accessKeyId())).isEqualTo(KeyStatus.ACTIVE);
        assertThat(iam.calls.getLast()).startsWith("DeleteAccessKey AKIANEW").endsWith("by " + old.accessKeyId());
    }

    @Test
    void aWriteThatMayHaveHappened_keepsBothKeysActive() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);

        var outcome = rotation.rotate(old, key -> {
            throw DeliveryException.perhapsWritten("timed out", null);
        }, false);

        assertThat(outcome).isInstanceOfSatisfying(BothKeysKept.class, kept -> assertThat(kept.reason())
                .contains("timed out").contains("both keys stay active"));
        assertThat(iam.keyIds("alice")).hasSize(2);
        assertThat(iam.keys.values()).allMatch(key -> key.status() == KeyStatus.ACTIVE);
    }

    @Test
    void anOldKeyThatCannotBeRetired_isReported_andTheNewKeyStays() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);
        iam.failDelete = new IllegalStateException("AccessDenied");

        var outcome = rotation.rotate(old, destination, false);

        assertThat(outcome).isInstanceOfSatisfying(OldKeyNotRetired.class, partly -> {
            assertThat(partly.rotated().oldKey()).isEqualTo(OldKey.INACTIVE);
            assertThat(partly.reason()).contains("is only deactivated: delete it by hand").contains("AccessDenied")
                    .contains("test-destination");
        });
        assertThat(iam.keyIds("alice")).hasSize(2).contains(written.getFirst().accessKeyId());
    }

    @Test
    void anOldKeyThatCannotBeDeactivated_staysActive_andIsReported() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);
        iam.failDeactivate = new IllegalStateException("Throttling");

        var outcome = rotation.rotate(old, destination, false);

        assertThat(outcome).isInstanceOfSatisfying(OldKeyNotRetired.class, partly -> {
            assertThat(partly.rotated().oldKey()).isEqualTo(OldKey.ACTIVE);
            assertThat(partly.reason()).contains("is still active");
        });
        assertThat(iam.status(old.accessKeyId())).isEqualTo(KeyStatus.ACTIVE);
    }

    @Test
    void aRollBackThatFails_saysWhichKeyToDeleteByHand() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);
        iam.failDelete = new IllegalStateException("AccessDenied");

        var outcome = rotation.rotate(old, key -> {
            throw DeliveryException.notWritten("refused", null);
        }, false);

        assertThat(outcome).isInstanceOfSatisfying(RolledBack.class, rolledBack -> assertThat(rolledBack.reason())
                .contains("failed too").contains("delete it by hand").contains("AKIANEW"));
    }

    @Test
    void aKeyIamDoesNotCreate_isRefused_andSaysWhatChanged() {
        KeyPair old = iam.addKey("alice", KeyStatus.ACTIVE);
        iam.failCreate = new IllegalStateException("LimitExceeded");

        assertThat(rotation.rotate(old, destination, false)).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.reason()).contains("LimitExceeded").contains("nothing was changed"));
        assertThat(iam.keyIds("alice")).containsExactly(old.accessKeyId());
    }

    @Test
    void theDecision_refusesAProfileKeyThatIsNotTheUsers() {
        KeyPair other = iam.addKey("bob", KeyStatus.ACTIVE);

        var decision = KeyPreparation.decide("alice", List.of(), other.accessKeyId());

        assertThat(decision).isInstanceOfSatisfying(KeyPreparation.Refused.class,
                refused -> assertThat(refused.reason()).contains("is not one of alice's keys"));
    }

    /** A clock that moves only when told. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-06-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
