package dev.ikr.rotation;

import dev.ikr.domain.KeyReport.ReportedKey;
import dev.ikr.domain.KeyReport.UserKeys;
import dev.ikr.domain.RotationDecision.Skip;
import dev.ikr.domain.RotationPolicy;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.SkipReason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides from the credential report alone which tagged users surely need nothing today, so their keys are not
 * listed. Pure: no AWS, no clock, no I/O.
 *
 * <p>The report may be hours old, so it never decides a change: it only lets a user be skipped when every way a
 * change could be due is ruled out. The keys are listed, and the {@link RotationPlanner} decides, when
 * <ul>
 *   <li>the report has no row for the user (created after the report),</li>
 *   <li>the row shows two keys (a pending deletion, or keys IKR does not know),</li>
 *   <li>a key in the row is at or past the user's limit, or its creation time is not given,</li>
 *   <li>the table holds any record for the user (an intent to repair, a pending deletion, a record that needs
 *       attention).</li>
 * </ul>
 * A key created after the report is younger than the report, hence younger than any limit (at least a day), so a
 * stale row never hides a key that is due.
 */
public final class CredentialReportPrefilter {

    /**
     * @param row the user's row in the report, if it has one
     * @param records the table's records for this user
     * @param policy the user's effective limits (environment, then the user's tags)
     * @return the skip when the keys need not be listed; empty when they must be
     */
    public Optional<Skip> skipWithoutListing(Optional<UserKeys> row, List<RotationRecord> records,
            RotationPolicy policy, Instant now) {
        if (row.isEmpty() || !records.isEmpty()) {
            return Optional.empty();
        }
        List<ReportedKey> keys = row.get().keys();
        if (keys.isEmpty()) {
            return Optional.of(new Skip(SkipReason.NO_KEYS, "the credential report showed no access key"));
        }
        if (keys.size() > 1) {
            return Optional.empty();
        }
        Optional<Long> age = keys.getFirst().ageInDays(now);
        if (age.isEmpty() || age.get() >= policy.rotateAfterDays()) {
            return Optional.empty();
        }
        return Optional.of(new Skip(SkipReason.NOT_DUE, "the credential report showed its key at " + age.get()
                + " days; it is rotated at " + policy.rotateAfterDays() + " days"));
    }
}
