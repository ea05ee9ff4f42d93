package dev.ikr.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.DeletionDecision.AlreadyGone;
import dev.ikr.domain.DeletionDecision.Cancel;
import dev.ikr.domain.DeletionDecision.Deactivate;
import dev.ikr.domain.DeletionDecision.Postpone;
import dev.ikr.domain.InUseGuard;
import dev.ikr.domain.InUsePolicy;
import dev.ikr.domain.KeyUse;
import dev.ikr.domain.DeletionDecision.Delete;
import dev.ikr.domain.DeletionDecision.Ignore;
import dev.ikr.domain.DeletionDecision.Park;
import dev.ikr.domain.DeletionDecision.Retry;
import dev.ikr.domain.DeletionDecision;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.KeyStatus;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.StreamChange.Removed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of the destructor, as a pure function: no fakes, no AWS. */
class DeletionPlannerTest {

    private static final Instant NOW = Instant.parse("2026-03-06T12:00:00Z");
    private static final Instant STARTED = NOW.minus(Duration.ofDays(5));
    private static final Duration RETRY_AFTER = Duration.ofMinutes(5);
    private static final String USER = "alice";
    private static final String OLD = "AKIAOLDALICE00000000";
    private static final String NEW = "AKIANEWALICE00000000";
    private static final String OTHER = "AKIAOTHERALICE000000";
    private static final String TTL = "Service/dynamodb.amazonaws.com";

    private final DeletionPlanner planner = new DeletionPlanner(RETRY_AFTER, 3);

    private static RotationRecord pending(int attempts) {
        return RotationRecord.intent(USER, OLD, EmailAddress.of("alice@example.com"), STARTED)
                .scheduled(NEW, NOW.minus(Duration.ofMinutes(1))).withAttempts(attempts);
    }

    private static AccessKey key(String id, KeyStatus status) {
        return new AccessKey(id, status, STARTED);
    }

    // ---- before the keys are listed -------------------------------------------------------------

    @Test
    void anExpiredPendingDeletion_needsTheUsersKeys() {
        assertThat(planner.beforeListingKeys(new Removed("e1", true, TTL, pending(0), Optional.empty()))).isEmpty();
    }

    @Test
    void aPendingDeletionRemovedByHand_isCancelled_namingWhoRemovedIt() {
        var removed = new Removed("e1", false, "AssumedRole/AROAEXAMPLE:operator", pending(0), Optional.empty());

        assertThat(planner.beforeListingKeys(removed)).contains(new Cancel(pending(0),
                "AssumedRole/AROAEXAMPLE:operator"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aClearedIntent_isIgnored_howeverItWasRemoved(boolean byTtl) {
        RotationRecord intent = RotationRecord.intent(USER, OLD, EmailAddress.of("alice@example.com"), STARTED);

        DeletionDecision decision = planner.beforeListingKeys(new Removed("e1", byTtl, TTL, intent, Optional.empty())).orElseThrow();

        assertThat(decision).isInstanceOf(Ignore.class);
        assertThat(((Ignore) decision).reason()).contains("intent");
    }

    @Test
    void anExpiredRecordThatNeedsAttention_isIgnored_itNeverDeletesAKey() {
        RotationRecord parked = pending(0).parked("a person must look");

        DeletionDecision decision = planner.beforeListingKeys(new Removed("e1", true, TTL, parked, Optional.empty())).orElseThrow();

        assertThat(decision).isInstanceOf(Ignore.class);
        assertThat(((Ignore) decision).reason()).contains("needs_attention", "only pending deletions delete keys");
    }

    @Test
    void aRecordThatNeedsAttentionRemovedByHand_isACancellation() {
        RotationRecord parked = pending(0).parked("a person must look");

        assertThat(planner.beforeListingKeys(new Removed("e1", false, "a caller of DeleteItem", parked, Optional.empty())))
                .containsInstanceOf(Cancel.class);
    }

    // ---- given the user and its keys: IAM must corroborate the record ------------------------------

    private static final Optional<IamUser> TAGGED = Optional.of(new IamUser(USER,
            Map.of("IKR:EMAIL", "alice@example.com")));

    private DeletionDecision decide(RotationRecord record, AccessKey... keys) {
        return planner.decide(record, TAGGED, List.of(keys), NOW);
    }

    private static Park parked(DeletionDecision decision) {
        assertThat(decision).isInstanceOf(Park.class);
        Park park = (Park) decision;
        assertThat(park.keyKept()).isTrue();
        assertThat(park.parked().state()).isEqualTo(RecordState.NEEDS_ATTENTION);
        assertThat(park.parked().deleteOn()).as("no TTL: nothing is deleted automatically").isEmpty();
        assertThat(park.parked().reason()).contains(park.reason());
        return park;
    }

    @Test
    void theOldKeyGoes_whenTheKeyDeliveredInItsPlaceIsActive() {
        assertThat(decide(pending(0), key(OLD, KeyStatus.ACTIVE), key(NEW, KeyStatus.ACTIVE)))
                .isEqualTo(new Delete(pending(0)));
    }

    @ParameterizedTest
    @EnumSource(KeyStatus.class)
    void theOldKeyGoes_whateverItsOwnStatus(KeyStatus oldKeyStatus) {
        assertThat(decide(pending(0), key(OLD, oldKeyStatus), key(NEW, KeyStatus.ACTIVE))).isInstanceOf(Delete.class);
    }

    @Test
    void aKeyNoLongerListed_isAlreadyGone() {
        assertThat(decide(pending(0), key(NEW, KeyStatus.ACTIVE))).isEqualTo(new AlreadyGone(pending(0)));
        assertThat(planner.decide(pending(0), Optional.empty(), List.of(), NOW)).isEqualTo(new AlreadyGone(pending(0)));
    }

    @Test
    void theUsersOnlyKey_isKept_andTheRecordParkedForAPerson() {
        assertThat(parked(decide(pending(0), key(OLD, KeyStatus.ACTIVE))).reason()).contains("only key", OLD);
    }

    @Test
    void theOldKey_isKept_whenTheOtherKeyIsInactive() {
        assertThat(parked(decide(pending(0), key(OLD, KeyStatus.ACTIVE), key(NEW, KeyStatus.INACTIVE))).reason())
                .contains("other key is inactive", OLD);
    }

    @Test
    void theOldKey_isKept_whenTheUserNoLongerCarriesTheEmailTag() {
        var untagged = Optional.of(new IamUser(USER, Map.of("team", "ci")));

        Park park = parked(planner.decide(pending(0), untagged,
                List.of(key(OLD, KeyStatus.ACTIVE), key(NEW, KeyStatus.ACTIVE)), NOW));

        assertThat(park.reason()).contains("IKR:EMAIL", OLD);
    }

    @Test
    void theOldKey_isKept_whenTheRecordNamesNoDeliveredKey_asAnItemInTheOriginalFormat() {
        RotationRecord original = new RotationRecord(USER, OLD, "alice@example.com", RecordState.PENDING_DELETION,
                Optional.empty(), Optional.of(NOW), STARTED, 0, Optional.empty());

        assertThat(parked(decide(original, key(OLD, KeyStatus.ACTIVE), key(OTHER, KeyStatus.ACTIVE))).reason())
                .contains("names no key delivered");
    }

    @Test
    void theOldKey_isKept_whenTheRecordNamesItAsItsOwnReplacement() {
        RotationRecord forged = RotationRecord.intent(USER, OLD, EmailAddress.of("alice@example.com"), STARTED)
                .scheduled(OLD, NOW);

        assertThat(decide(forged, key(OLD, KeyStatus.ACTIVE), key(OTHER, KeyStatus.ACTIVE))).isInstanceOf(Park.class);
    }

    @Test
    void theOldKey_isKept_whenTheDeliveredKeyIsGone_evenIfAnotherActiveKeyExists() {
        Park park = parked(decide(pending(0), key(OLD, KeyStatus.ACTIVE), key(OTHER, KeyStatus.ACTIVE)));

        assertThat(park.reason()).contains(NEW, "gone", "without the key they were sent");
    }

    // ---- after a failure -----------------------------------------------------------------------

    @Test
    void aFailedStep_isRetriedLater_countingTheAttempt() {
        Retry retry = (Retry) planner.afterFailure(pending(0), "deleting the key failed: boom", true, NOW);

        assertThat(retry.cause()).isEqualTo("deleting the key failed: boom");
        assertThat(retry.retry().state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(retry.retry().attempts()).isEqualTo(1);
        assertThat(retry.retry().deleteOn()).contains(NOW.plus(RETRY_AFTER));
        assertThat(retry.retry().reason()).contains("deleting the key failed: boom");
        assertThat(retry.retry().newKeyId()).contains(NEW);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theLastAllowedAttempt_parksTheRecord_sayingWhetherTheKeyIsKept(boolean keyKept) {
        Park park = (Park) planner.afterFailure(pending(2), "boom", keyKept, NOW);

        assertThat(park.keyKept()).isEqualTo(keyKept);
        assertThat(park.reason()).isEqualTo("deletion failed 3 times; last error: boom");
        assertThat(park.parked().attempts()).isEqualTo(3);
        assertThat(park.parked().state()).isEqualTo(RecordState.NEEDS_ATTENTION);
        assertThat(park.parked().deleteOn()).isEmpty();
    }

    @Test
    void withOneAllowedAttempt_theFirstFailureParks() {
        assertThat(new DeletionPlanner(RETRY_AFTER, 1).afterFailure(pending(0), "boom", true, NOW))
                .isInstanceOf(Park.class);
    }

    @Test
    void retriesNeedAPositiveDelayAndAtLeastOneAttempt() {
        assertThatThrownBy(() -> new DeletionPlanner(Duration.ZERO, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeletionPlanner(RETRY_AFTER, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordsChangedCopies_keepItsIdentity() {
        RotationRecord original = pending(0);

        for (RotationRecord copy : List.of(original.withAttempts(2), original.retryAt(NOW, "x"),
                original.parked("y"))) {
            assertThat(copy.user()).isEqualTo(USER);
            assertThat(copy.oldKeyId()).isEqualTo(OLD);
            assertThat(copy.email()).isEqualTo("alice@example.com");
            assertThat(copy.startedAt()).isEqualTo(STARTED);
            assertThat(copy.newKeyId()).contains(NEW);
        }
        assertThat(original.attempts()).as("the original is unchanged").isZero();
        assertThat(original.reason()).isEqualTo(Optional.empty());
    }

    // ---- two stages and the in-use guard ----------------------------------------------------------

    private static final Instant DELETE_DAY = NOW.plus(Duration.ofDays(4));

    /** A two-stage pending deletion: deactivated now, deleted four days later. */
    private static RotationRecord awaitingDeactivation() {
        return RotationRecord.intent(USER, OLD, EmailAddress.of("alice@example.com"), STARTED)
                .scheduled(NEW, Optional.of(NOW.minus(Duration.ofMinutes(1))), DELETE_DAY);
    }

    private static KeyUse usedAt(Instant at) {
        return new KeyUse(at, "s3", "eu-west-1");
    }

    @Test
    void aTwoStageRecordAtItsFirstDate_deactivatesTheKey_andWaitsForTheDeletionDate() {
        DeletionDecision decision = decide(awaitingDeactivation(), key(OLD, KeyStatus.ACTIVE), key(NEW, KeyStatus.ACTIVE));

        assertThat(decision).isInstanceOf(Deactivate.class);
        RotationRecord next = ((Deactivate) decision).next();
        assertThat(next.state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(next.deleteOn()).contains(DELETE_DAY);
        assertThat(next.awaitsDeactivation()).isFalse();
        assertThat(next.checkedAt()).contains(NOW);
    }

    @Test
    void aTwoStageRecord_neverDeactivatesTheOnlyActiveKey() {
        assertThat(parked(decide(awaitingDeactivation(), key(OLD, KeyStatus.ACTIVE), key(NEW, KeyStatus.INACTIVE)))
                .reason()).contains("inactive");
        assertThat(parked(decide(awaitingDeactivation(), key(OLD, KeyStatus.ACTIVE))).reason()).contains("only key");
    }

    @Test
    void anInactiveOldKey_isDeleted_whileTheDeliveredKeyIsActive() {
        RotationRecord deactivated = awaitingDeactivation().deactivated(NOW.minus(Duration.ofDays(4)));

        assertThat(decide(deactivated, key(OLD, KeyStatus.INACTIVE), key(NEW, KeyStatus.ACTIVE)))
                .isEqualTo(new Delete(deactivated));
    }

    @Test
    void aKeyUsedOnlyBeforeTheDelivery_goesAhead() {
        Delete delete = new Delete(pending(0));

        assertThat(planner.guard(delete, Optional.of(usedAt(STARTED.minusSeconds(60))), NOW)).isEqualTo(delete);
        assertThat(planner.guard(delete, Optional.empty(), NOW)).isEqualTo(delete);
    }

    @Test
    void aKeyUsedAfterTheDelivery_isPostponed_andALaterDeletionDateMovesByAsMuch() {
        RotationRecord record = awaitingDeactivation();
        DeletionDecision step = decide(record, key(OLD, KeyStatus.ACTIVE), key(NEW, KeyStatus.ACTIVE));

        DeletionDecision decision = planner.guard(step, Optional.of(usedAt(NOW.minus(Duration.ofHours(2)))), NOW);

        assertThat(decision).isInstanceOf(Postpone.class);
        Postpone postpone = (Postpone) decision;
        assertThat(postpone.step()).isEqualTo("deactivation");
        assertThat(postpone.postponementsLeft()).isEqualTo(1);
        assertThat(postpone.postponed().deleteOn()).contains(NOW.plus(Duration.ofDays(3)));
        assertThat(postpone.postponed().finalDeleteOn()).contains(DELETE_DAY.plus(Duration.ofDays(3))
                .plus(Duration.ofMinutes(1)));
        assertThat(postpone.postponed().postponements()).isEqualTo(1);
        assertThat(postpone.postponed().reason().orElseThrow()).contains("s3", "eu-west-1", "postponed");
    }

    @Test
    void afterTheLastPostponement_theStepGoesAhead_sayingTheKeyWasUsed() {
        RotationRecord twice = pending(0).postponedTo(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(6)), "x")
                .postponedTo(NOW, NOW.minus(Duration.ofDays(3)), "y");
        KeyUse use = usedAt(NOW.minus(Duration.ofHours(1)));

        assertThat(planner.guard(new Delete(twice), Optional.of(use), NOW)).isEqualTo(new Delete(twice, Optional.of(use)));
    }

    @Test
    void afterTheLastPostponement_withHold_theKeyIsKeptForAPerson() {
        var holding = new DeletionPlanner(RETRY_AFTER, 3, new InUseGuard(Duration.ofDays(3), 0, InUsePolicy.HOLD));

        Park park = parked(holding.guard(new Delete(pending(0)), Optional.of(usedAt(NOW.minusSeconds(60))), NOW));

        assertThat(park.reason()).contains("IN_USE_POLICY is hold", "s3");
    }

    @Test
    void aUseAlreadyAnsweredByAPostponement_doesNotPostponeAgain() {
        RotationRecord postponed = pending(0).postponedTo(NOW, NOW.minus(Duration.ofDays(3)), "used");

        assertThat(planner.guard(new Delete(postponed), Optional.of(usedAt(NOW.minus(Duration.ofDays(4)))), NOW))
                .isEqualTo(new Delete(postponed));
    }

    @Test
    void aKeyReactivatedAndUsedDuringTheGrace_isPostponedAtItsDeletion() {
        RotationRecord deactivated = awaitingDeactivation().deactivated(NOW.minus(Duration.ofDays(4)));

        DeletionDecision decision = planner.guard(new Delete(deactivated),
                Optional.of(usedAt(NOW.minus(Duration.ofDays(1)))), NOW);

        assertThat(decision).isInstanceOf(Postpone.class);
        assertThat(((Postpone) decision).step()).isEqualTo("deletion");
    }
}
