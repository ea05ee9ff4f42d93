package dev.ikr.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.KeyReport.ReportedKey;
import dev.ikr.domain.KeyReport.UserKeys;
import dev.ikr.domain.RecordState;
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
import org.junit.jupiter.params.provider.EnumSource;

class CredentialReportPrefilterTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final RotationPolicy POLICY = new RotationPolicy(30, 5);

    private final CredentialReportPrefilter prefilter = new CredentialReportPrefilter();

    private static ReportedKey key(boolean active, Duration age) {
        return new ReportedKey(active, Optional.of(NOW.minus(age)));
    }

    private static Optional<UserKeys> row(ReportedKey... keys) {
        return Optional.of(new UserKeys("alice", List.of(keys)));
    }

    private Optional<Skip> screen(Optional<UserKeys> row) {
        return prefilter.skipWithoutListing(row, List.of(), POLICY, NOW);
    }

    @Test
    void skipsWithoutListing_whenTheReportShowsOneKeyYoungerThanTheLimit() {
        Optional<Skip> skip = screen(row(key(true, Duration.ofDays(29).plusHours(23))));

        assertThat(skip).contains(new Skip(SkipReason.NOT_DUE,
                "the credential report showed its key at 29 days; it is rotated at 30 days"));
    }

    @Test
    void listsTheKeys_whenTheReportShowsAKeyAtTheLimit() {
        assertThat(screen(row(key(true, Duration.ofDays(30))))).isEmpty();
        assertThat(screen(row(key(true, Duration.ofDays(400))))).isEmpty();
    }

    @Test
    void usesTheUsersOwnLimit_notTheDefault() {
        var row = row(key(true, Duration.ofDays(40)));

        assertThat(prefilter.skipWithoutListing(row, List.of(), new RotationPolicy(30, 5), NOW)).isEmpty();
        assertThat(prefilter.skipWithoutListing(row, List.of(), new RotationPolicy(365, 5), NOW))
                .map(Skip::reason).contains(SkipReason.NOT_DUE);
    }

    @Test
    void listsTheKeys_whenTheReportHasNoRowForTheUser() {
        assertThat(screen(Optional.empty())).isEmpty();
    }

    @Test
    void listsTheKeys_whenTheReportShowsTwoKeys_evenYoungOnes() {
        assertThat(screen(row(key(true, Duration.ofDays(1)), key(true, Duration.ofDays(2))))).isEmpty();
        assertThat(screen(row(key(false, Duration.ofDays(1)), key(true, Duration.ofDays(2))))).isEmpty();
    }

    @Test
    void listsTheKeys_whenAnInactiveKeyIsAtTheLimit_soTheInactiveKeyIsReported() {
        assertThat(screen(row(key(false, Duration.ofDays(31))))).isEmpty();
    }

    @Test
    void skipsAYoungInactiveKey_asNotDue() {
        assertThat(screen(row(key(false, Duration.ofDays(3))))).map(Skip::reason).contains(SkipReason.NOT_DUE);
    }

    @Test
    void listsTheKeys_whenTheReportGivesNoTimeForAKey() {
        assertThat(screen(row(new ReportedKey(true, Optional.empty())))).isEmpty();
    }

    @Test
    void skipsAsNoKeys_whenTheReportShowsNone() {
        assertThat(screen(row())).contains(new Skip(SkipReason.NO_KEYS, "the credential report showed no access key"));
    }

    @Test
    void treatsAKeyCreatedAfterNow_asZeroDaysOld() {
        assertThat(screen(row(new ReportedKey(true, Optional.of(NOW.plus(Duration.ofHours(1)))))))
                .map(Skip::detail).contains("the credential report showed its key at 0 days; it is rotated at 30 days");
    }

    @ParameterizedTest
    @EnumSource(RecordState.class)
    void listsTheKeys_whenTheTableHoldsAnyRecordForTheUser(RecordState state) {
        var record = new RotationRecord("alice", "AKIAOLDALICE00000000", "alice@example.com", state,
                Optional.empty(), state == RecordState.PENDING_DELETION ? Optional.of(NOW) : Optional.empty(),
                NOW.minus(Duration.ofDays(1)), 0, Optional.empty());

        assertThat(prefilter.skipWithoutListing(row(key(true, Duration.ofDays(1))), List.of(record), POLICY, NOW))
                .isEmpty();
        assertThat(prefilter.skipWithoutListing(row(), List.of(record), POLICY, NOW)).isEmpty();
    }
}
