package dev.ikr.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordMacTest {

    private static final byte[] KEY = filled(1);
    private static final String SCOPE = "arn:aws:kms:eu-west-1:123456789012:key/k iam-key-rotator";
    private static final Instant STARTED = Instant.parse("2026-03-01T12:00:00Z");
    private static final RotationRecord PENDING = new RotationRecord("alice", "AKIAOLD0000000000001",
            "alice@example.com", RecordState.PENDING_DELETION, Optional.of("AKIANEW0000000000001"),
            Optional.of(STARTED.plusSeconds(86_400 * 5)), STARTED, 0, Optional.empty());

    private static byte[] filled(int value) {
        byte[] key = new byte[RecordMac.KEY_BYTES];
        Arrays.fill(key, (byte) value);
        return key;
    }

    @Test
    void verifiesTheRecordItWasComputedFor() {
        assertThat(RecordMac.matches(KEY, SCOPE, PENDING, RecordMac.compute(KEY, SCOPE, PENDING))).isTrue();
    }

    @Test
    void refusesEveryChangedField_anotherKey_andAnotherScope() {
        byte[] mac = RecordMac.compute(KEY, SCOPE, PENDING);
        List<RotationRecord> changed = List.of(
                new RotationRecord("bob", PENDING.oldKeyId(), PENDING.email(), PENDING.state(), PENDING.newKeyId(),
                        PENDING.deleteOn(), STARTED, 0, Optional.empty()),
                new RotationRecord("alice", "AKIAOTHER00000000001", PENDING.email(), PENDING.state(),
                        PENDING.newKeyId(), PENDING.deleteOn(), STARTED, 0, Optional.empty()),
                new RotationRecord("alice", PENDING.oldKeyId(), "thief@example.net", PENDING.state(),
                        PENDING.newKeyId(), PENDING.deleteOn(), STARTED, 0, Optional.empty()),
                new RotationRecord("alice", PENDING.oldKeyId(), PENDING.email(), PENDING.state(),
                        Optional.of("AKIAOTHER00000000001"), PENDING.deleteOn(), STARTED, 0, Optional.empty()),
                new RotationRecord("alice", PENDING.oldKeyId(), PENDING.email(), PENDING.state(), Optional.empty(),
                        PENDING.deleteOn(), STARTED, 0, Optional.empty()),
                new RotationRecord("alice", PENDING.oldKeyId(), PENDING.email(), PENDING.state(), PENDING.newKeyId(),
                        Optional.of(STARTED), STARTED, 0, Optional.empty()),
                new RotationRecord("alice", PENDING.oldKeyId(), PENDING.email(), PENDING.state(), PENDING.newKeyId(),
                        PENDING.deleteOn(), STARTED.minusSeconds(1), 0, Optional.empty()),
                PENDING.withAttempts(1),
                PENDING.parked("why"),
                new RotationRecord("alice", PENDING.oldKeyId(), PENDING.email(), PENDING.state(), PENDING.newKeyId(),
                        PENDING.deleteOn(), STARTED, 0, Optional.of("")));
        assertThat(changed).allSatisfy(record -> assertThat(RecordMac.matches(KEY, SCOPE, record, mac))
                .as("%s", record).isFalse());
        assertThat(RecordMac.matches(filled(2), SCOPE, PENDING, mac)).isFalse();
        assertThat(RecordMac.matches(KEY, "arn:aws:kms:eu-west-1:210987654321:key/k iam-key-rotator", PENDING, mac))
                .isFalse();
    }

    @Test
    void writesEachFieldWithItsLength_soNoTwoItemsShareAnInput() {
        var joined = new RotationRecord("a", "b\nemail=1:c", "d", RecordState.ROTATING, Optional.empty(),
                Optional.empty(), STARTED, 0, Optional.empty());
        var split = new RotationRecord("a", "b", "c\nemail=1:d", RecordState.ROTATING, Optional.empty(),
                Optional.empty(), STARTED, 0, Optional.empty());
        assertThat(RecordMac.canonical(SCOPE, joined)).isNotEqualTo(RecordMac.canonical(SCOPE, split));
    }

    @Test
    void refusesAKeyOfTheWrongLength() {
        assertThatThrownBy(() -> RecordMac.compute(new byte[16], SCOPE, PENDING))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void coversTheGracePeriodFields_addedOrRemovedOrChanged() {
        var twoStage = new RotationRecord("alice", PENDING.oldKeyId(), PENDING.email(), PENDING.state(),
                PENDING.newKeyId(), PENDING.deleteOn(), STARTED, 0, Optional.empty(),
                Optional.of(STARTED.plusSeconds(86_400 * 8)), 1, Optional.of(STARTED.plusSeconds(3_600)));
        byte[] singleStageMac = RecordMac.compute(KEY, SCOPE, PENDING);
        byte[] twoStageMac = RecordMac.compute(KEY, SCOPE, twoStage);

        assertThat(RecordMac.matches(KEY, SCOPE, twoStage, singleStageMac)).as("a deletion date added").isFalse();
        assertThat(RecordMac.matches(KEY, SCOPE, PENDING, twoStageMac)).as("the deletion date removed").isFalse();
        List<RotationRecord> changed = List.of(
                new RotationRecord("alice", PENDING.oldKeyId(), PENDING.email(), PENDING.state(), PENDING.newKeyId(),
                        PENDING.deleteOn(), STARTED, 0, Optional.empty(), Optional.of(STARTED.plusSeconds(86_400 * 7)), 1,
                        twoStage.checkedAt()),
                new RotationRecord("alice", PENDING.oldKeyId(), PENDING.email(), PENDING.state(), PENDING.newKeyId(),
                        PENDING.deleteOn(), STARTED, 0, Optional.empty(), twoStage.finalDeleteOn(), 0,
                        twoStage.checkedAt()),
                new RotationRecord("alice", PENDING.oldKeyId(), PENDING.email(), PENDING.state(), PENDING.newKeyId(),
                        PENDING.deleteOn(), STARTED, 0, Optional.empty(), twoStage.finalDeleteOn(), 1,
                        Optional.of(STARTED)));
        assertThat(changed).allSatisfy(record -> assertThat(RecordMac.matches(KEY, SCOPE, record, twoStageMac))
                .as("%s", record).isFalse());
    }

    @Test
    void coversTheAccount_addedRemovedOrChanged_andWithoutOneTheInputIsAsBeforeAccountsExisted() {
        RotationRecord inMember = PENDING.inAccount(Optional.of("111111111111"));
        byte[] memberMac = RecordMac.compute(KEY, SCOPE, inMember);

        assertThat(RecordMac.matches(KEY, SCOPE, inMember, memberMac)).isTrue();
        assertThat(RecordMac.matches(KEY, SCOPE, PENDING, memberMac)).as("the account removed").isFalse();
        assertThat(RecordMac.matches(KEY, SCOPE, inMember.inAccount(Optional.of("222222222222")), memberMac))
                .as("moved to another account").isFalse();
        assertThat(RecordMac.matches(KEY, SCOPE, inMember, RecordMac.compute(KEY, SCOPE, PENDING)))
                .as("an account added").isFalse();
        assertThat(new String(RecordMac.canonical(SCOPE, PENDING), java.nio.charset.StandardCharsets.UTF_8))
                .as("an item of the table's own account keeps the input (and the seal) it had")
                .doesNotContain("account").endsWith("reason=-\n");
    }

    @Test
    void sealsAKmsKeysItem_overItsKindAndAliases_soNeitherKindOfItemVerifiesAsTheOther() {
        var kms = new dev.ikr.domain.KmsKeyRecord(new RotationRecord("alias/app-signing",
                "11111111-1111-1111-1111-111111111111", "alice@example.com", RecordState.PENDING_DELETION,
                Optional.of("22222222-2222-2222-2222-222222222222"), Optional.of(STARTED.plusSeconds(86_400)),
                STARTED, 0, Optional.empty()), List.of("alias/app-signing", "alias/release"));
        byte[] mac = RecordMac.compute(KEY, SCOPE, kms);

        assertThat(RecordMac.matches(KEY, SCOPE, kms, mac)).isTrue();
        assertThat(RecordMac.matches(KEY, SCOPE, kms.rotation(), mac)).as("read as an access key's item").isFalse();
        assertThat(RecordMac.matches(KEY, SCOPE, new dev.ikr.domain.KmsKeyRecord(kms.rotation(),
                List.of("alias/app-signing")), mac)).as("an alias dropped").isFalse();
        assertThat(RecordMac.matches(KEY, SCOPE, kms, RecordMac.compute(KEY, SCOPE, kms.rotation())))
                .as("an access key's seal on a KMS key's item").isFalse();
    }
}
