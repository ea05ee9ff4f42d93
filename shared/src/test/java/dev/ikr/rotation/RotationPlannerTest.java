package dev.ikr.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.KeyStatus;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationDecision;
import dev.ikr.domain.RotationDecision.Repair;
import dev.ikr.domain.RotationDecision.Rotate;
import dev.ikr.domain.RotationDecision.Skip;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.SkipReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RotationPlannerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final RotationPolicy POLICY = new RotationPolicy(85, 5);
    private static final String USER = "alice";
    private static final String OLD = "AKIAOLDKEY0000000001";
    private static final String SECOND = "AKIASECONDKEY0000001";

    private final RotationPlanner planner = new RotationPlanner();

    private static AccessKey active(String id, long ageInDays) {
        return new AccessKey(id, KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(ageInDays)));
    }

    private static AccessKey createdAt(String id, Instant createdAt) {
        return new AccessKey(id, KeyStatus.ACTIVE, createdAt);
    }

    private static RotationRecord record(String oldKeyId, RecordState state) {
        return new RotationRecord(USER, oldKeyId, "alice@example.com", state, Optional.of(SECOND),
                state == RecordState.PENDING_DELETION ? Optional.of(NOW.plus(Duration.ofDays(3))) : Optional.empty(),
                NOW.minus(Duration.ofDays(2)), 0,
                state == RecordState.NEEDS_ATTENTION ? Optional.of("deleting failed 3 times") : Optional.empty());
    }

    private static RotationRecord intent(Instant startedAt) {
        return RotationRecord.intent(USER, OLD, EmailAddress.of("alice@example.com"), startedAt);
    }

    private static RotationRecord intentWithNewKey(String newKeyId, Instant startedAt) {
        return new RotationRecord(USER, OLD, "alice@example.com", RecordState.ROTATING, Optional.of(newKeyId),
                Optional.empty(), startedAt, 0, Optional.empty());
    }

    private RotationDecision decide(List<AccessKey> keys, List<RotationRecord> records) {
        return planner.decide(keys, records, POLICY, NOW);
    }

    private static Skip assertSkip(RotationDecision decision, SkipReason reason) {
        assertThat(decision).isInstanceOf(Skip.class);
        Skip skip = (Skip) decision;
        assertThat(skip.reason()).isEqualTo(reason);
        assertThat(skip.detail()).isNotBlank();
        return skip;
    }

    // ---- one key, no records -------------------------------------------------------------------

    @Test
    void skipsWithNoKeys_whenTheUserHasNoAccessKey() {
        Skip skip = assertSkip(decide(List.of(), List.of()), SkipReason.NO_KEYS);

        assertThat(skip.reason().needsAttention()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 84})
    void leavesKeyAlone_whenYoungerThanRotateAfterDays(long age) {
        Skip skip = assertSkip(decide(List.of(active(OLD, age)), List.of()), SkipReason.NOT_DUE);

        assertThat(skip.reason().needsAttention()).isFalse();
        assertThat(skip.detail()).contains(OLD, age + " days old", "85 days");
    }

    @Test
    void leavesKeyAlone_whenOneSecondShortOfRotateAfterDays() {
        AccessKey key = createdAt(OLD, NOW.minus(Duration.ofDays(85)).plusSeconds(1));

        assertSkip(decide(List.of(key), List.of()), SkipReason.NOT_DUE);
    }

    @Test
    void rotatesKey_whenExactlyRotateAfterDaysOld() {
        AccessKey key = active(OLD, 85);

        assertThat(decide(List.of(key), List.of())).isEqualTo(new Rotate(key, POLICY));
    }

    @ParameterizedTest
    @ValueSource(longs = {86, 365, 3650})
    void rotatesKey_whenOlderThanRotateAfterDays_carryingTheKeyAndThePolicy(long age) {
        AccessKey key = active(OLD, age);

        RotationDecision decision = decide(List.of(key), List.of());

        assertThat(decision).isInstanceOf(Rotate.class);
        assertThat(((Rotate) decision).oldKey()).isEqualTo(key);
        assertThat(((Rotate) decision).policy()).isEqualTo(POLICY);
    }

    @Test
    void neverIssuesAKey_whenTheOnlyKeyIsInactive_evenIfOld() {
        AccessKey key = new AccessKey(OLD, KeyStatus.INACTIVE, NOW.minus(Duration.ofDays(400)));

        Skip skip = assertSkip(decide(List.of(key), List.of()), SkipReason.INACTIVE_KEY);

        assertThat(skip.reason().needsAttention()).isTrue();
        assertThat(skip.detail()).contains(OLD);
    }

    @Test
    void userOverridePolicy_decidesWhetherTheKeyIsDue() {
        AccessKey key = active(OLD, 30);

        assertSkip(planner.decide(List.of(key), List.of(), new RotationPolicy(85, 5), NOW), SkipReason.NOT_DUE);
        RotationPolicy strict = new RotationPolicy(30, 2);
        assertThat(planner.decide(List.of(key), List.of(), strict, NOW)).isEqualTo(new Rotate(key, strict));
        assertSkip(planner.decide(List.of(active(OLD, 100)), List.of(), new RotationPolicy(365, 5), NOW),
                SkipReason.NOT_DUE);
    }

    // ---- records ------------------------------------------------------------------------------

    @Test
    void waitsForTheScheduledDeletion_whenOneOfTwoKeysIsPendingDeletion() {
        List<AccessKey> keys = List.of(active(OLD, 90), active(SECOND, 2));

        Skip skip = assertSkip(decide(keys, List.of(record(OLD, RecordState.PENDING_DELETION))),
                SkipReason.ROTATION_IN_PROGRESS);

        assertThat(skip.reason().needsAttention()).isFalse();
        assertThat(skip.detail()).contains(OLD);
    }

    @Test
    void waitsForAPerson_whenOneOfTwoKeysNeedsAttention() {
        List<AccessKey> keys = List.of(active(OLD, 90), active(SECOND, 2));

        Skip skip = assertSkip(decide(keys, List.of(record(OLD, RecordState.NEEDS_ATTENTION))),
                SkipReason.AWAITING_ATTENTION);

        assertThat(skip.reason().needsAttention()).isTrue();
        assertThat(skip.detail()).contains(OLD, "deleting failed 3 times");
    }

    @Test
    void waitsForAPerson_whenTheOnlyKeyNeedsAttention() {
        assertSkip(decide(List.of(active(OLD, 90)), List.of(record(OLD, RecordState.NEEDS_ATTENTION))),
                SkipReason.AWAITING_ATTENTION);
    }

    @Test
    void deletesNothing_whenTheUserHasTwoKeysIkrKnowsNothingAbout() {
        List<AccessKey> keys = List.of(active(OLD, 200), active(SECOND, 100));

        Skip skip = assertSkip(decide(keys, List.of()), SkipReason.UNKNOWN_SECOND_KEY);

        assertThat(skip.reason().needsAttention()).isTrue();
        assertThat(skip.detail()).contains(OLD, SECOND);
    }

    @Test
    void asksForAPerson_whenTheOnlyKeyIsScheduledForDeletionAndItsReplacementVanished() {
        Skip skip = assertSkip(decide(List.of(active(OLD, 90)), List.of(record(OLD, RecordState.PENDING_DELETION))),
                SkipReason.ONLY_KEY_SCHEDULED_FOR_DELETION);

        assertThat(skip.reason().needsAttention()).isTrue();
        assertThat(skip.detail()).contains(OLD);
    }

    @Test
    void rotates_clearingFirstThePendingDeletionsOfKeysThatNoLongerExist() {
        AccessKey current = active(SECOND, 90);
        RotationRecord stalePending = record(OLD, RecordState.PENDING_DELETION);
        List<RotationRecord> stale = List.of(stalePending,
                record("AKIAGONEKEY000000002", RecordState.NEEDS_ATTENTION));

        assertThat(decide(List.of(current), stale)).as("a record without a TTL never deletes anything: it stays")
                .isEqualTo(new Rotate(current, POLICY, List.of(stalePending)));
    }

    @Test
    void ignoresStaleRecords_whenTheUserHasTwoUnknownKeys() {
        List<AccessKey> keys = List.of(active(OLD, 200), active(SECOND, 100));

        assertSkip(decide(keys, List.of(record("AKIAGONEKEY000000002", RecordState.PENDING_DELETION))),
                SkipReason.UNKNOWN_SECOND_KEY);
    }

    // ---- intents (interrupted runs) -----------------------------------------------------------

    @Test
    void repairsByDeletingTheRecordedNewKey_whenItStillExists() {
        RotationRecord intent = intentWithNewKey(SECOND, NOW.minus(Duration.ofDays(1)));
        List<AccessKey> keys = List.of(active(OLD, 90), active(SECOND, 1));

        assertThat(decide(keys, List.of(intent))).isEqualTo(new Repair(intent, Optional.of(SECOND)));
    }

    @Test
    void repairsOnlyTheIntent_whenTheRecordedNewKeyIsAlreadyGone() {
        RotationRecord intent = intentWithNewKey(SECOND, NOW.minus(Duration.ofDays(1)));

        assertThat(decide(List.of(active(OLD, 90)), List.of(intent))).isEqualTo(new Repair(intent, Optional.empty()));
    }

    @Test
    void repairsOnlyTheIntent_whenNoNewKeyWasRecordedAndOnlyTheOldKeyExists() {
        RotationRecord intent = intent(NOW.minus(Duration.ofDays(1)));

        assertThat(decide(List.of(active(OLD, 90)), List.of(intent))).isEqualTo(new Repair(intent, Optional.empty()));
    }

    @Test
    void repairsOnlyTheIntent_whenNoNewKeyWasRecordedAndTheUserHasNoKeys() {
        RotationRecord intent = intent(NOW.minus(Duration.ofDays(1)));

        assertThat(decide(List.of(), List.of(intent))).isEqualTo(new Repair(intent, Optional.empty()));
    }

    @ParameterizedTest(name = "second key created {0} seconds after the intent")
    @ValueSource(longs = {-86_400, -60, 0, 1, 3600})
    void neverDeletesAKeyTheIntentDoesNotName_howeverRecentItIs(long offsetSeconds) {
        Instant startedAt = NOW.minus(Duration.ofDays(1));
        List<AccessKey> keys = List.of(active(OLD, 90), createdAt(SECOND, startedAt.plusSeconds(offsetSeconds)));

        Skip skip = assertSkip(decide(keys, List.of(intent(startedAt))), SkipReason.UNKNOWN_SECOND_KEY);

        assertThat(skip.reason().needsAttention()).isTrue();
        assertThat(skip.detail()).contains(SECOND, "not deleted");
    }

    @Test
    void neverDeletesTheUsersLastActiveKey_evenWhenTheIntentNamesIt() {
        RotationRecord forged = intentWithNewKey(SECOND, NOW.minus(Duration.ofDays(30)));

        Skip onlyKey = assertSkip(decide(List.of(active(SECOND, 40)), List.of(forged)),
                SkipReason.LAST_ACTIVE_KEY_KEPT);
        assertSkip(decide(List.of(new AccessKey(OLD, KeyStatus.INACTIVE, NOW.minus(Duration.ofDays(90))),
                active(SECOND, 40)), List.of(forged)), SkipReason.LAST_ACTIVE_KEY_KEPT);

        assertThat(onlyKey.detail()).contains(SECOND, "last active key");
    }

    @Test
    void repairsBeforeAnythingElse_evenWhenTheOldKeyIsNotDue() {
        RotationRecord intent = intentWithNewKey(SECOND, NOW.minus(Duration.ofMinutes(10)));
        List<AccessKey> keys = List.of(active(OLD, 1), active(SECOND, 0));

        assertThat(decide(keys, List.of(intent, record("AKIAGONEKEY000000002", RecordState.NEEDS_ATTENTION))))
                .isEqualTo(new Repair(intent, Optional.of(SECOND)));
    }
}
