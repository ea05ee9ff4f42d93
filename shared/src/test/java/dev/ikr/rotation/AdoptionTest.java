package dev.ikr.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.KeyStatus;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.testing.InMemoryAccountTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AdoptionTest extends InMemoryAccountTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant DELETE_ON = NOW.plus(Duration.ofDays(2));
    private static final Instant ROTATED = NOW.minus(Duration.ofDays(3));

    AdoptionTest() {
        super(NOW);
    }

    private Adoption.Report adopt(boolean dryRun) {
        return new Adoption(directory, table, AllowedEmailDomains.any()).adopt(dryRun);
    }

    /** An item as the original project wrote it: no state, no new key, no seal (read as a pending deletion). */
    private void originalItem(String user, String oldKey) {
        table.putUnverified(new RotationRecord(user, oldKey, user + "@old.example", RecordState.PENDING_DELETION,
                Optional.empty(), Optional.of(DELETE_ON), Instant.EPOCH, 0, Optional.empty()), false,
                "it carries no MAC");
    }

    private void twoKeys(String user, Map<String, String> tags, KeyStatus newKeyStatus) {
        directory.user(user, tags)
                .key(user, "AKIAOLD" + user.toUpperCase(), KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(90)))
                .key(user, "AKIANEW" + user.toUpperCase(), newKeyStatus, ROTATED);
    }

    @Test
    void sealsAnItemIamCorroborates_inFavourOfTheOtherActiveKey_mailedToTheCurrentTag() {
        twoKeys("alice", Map.of("IKR:EMAIL", "alice@example.com"), KeyStatus.ACTIVE);
        originalItem("alice", "AKIAOLDALICE");

        Adoption.Report report = adopt(false);

        assertThat(report.anyRefused()).isFalse();
        assertThat(table.find("alice", "AKIAOLDALICE")).contains(new RotationRecord("alice", "AKIAOLDALICE",
                "alice@example.com", RecordState.PENDING_DELETION, Optional.of("AKIANEWALICE"), Optional.of(DELETE_ON),
                ROTATED, 0, Optional.empty()));
        assertThat(table.all().unverified()).isEmpty();
        assertThat(directory.keyIds("alice")).containsExactly("AKIAOLDALICE", "AKIANEWALICE");
    }

    @Test
    void sealsNothing_inADryRun() {
        twoKeys("alice", Map.of("IKR:EMAIL", "alice@example.com"), KeyStatus.ACTIVE);
        originalItem("alice", "AKIAOLDALICE");

        Adoption.Report report = adopt(true);

        assertThat(report.toResponse().get("wouldAdopt").toString()).contains("AKIANEWALICE");
        assertThat(table.records()).isEmpty();
        assertThat(journal).noneMatch(entry -> entry.startsWith("adopt"));
    }

    @Test
    void refusesEveryItemIamDoesNotCorroborate_eachWithItsReason() {
        twoKeys("untagged", Map.of("team", "ci"), KeyStatus.ACTIVE);
        originalItem("untagged", "AKIAOLDUNTAGGED");
        twoKeys("inactive", Map.of("IKR:EMAIL", "inactive@example.com"), KeyStatus.INACTIVE);
        originalItem("inactive", "AKIAOLDINACTIVE");
        twoKeys("gone", Map.of("IKR:EMAIL", "gone@example.com"), KeyStatus.ACTIVE);
        originalItem("gone", "AKIAOTHERKEY");
        originalItem("nobody", "AKIAOLDNOBODY");
        table.putUnverified(new RotationRecord("tampered", "AKIAOLDTAMPERED", "t@example.com",
                RecordState.PENDING_DELETION, Optional.of("AKIANEWTAMPERED"), Optional.of(DELETE_ON), ROTATED, 0,
                Optional.empty()), true, "its MAC does not match its fields");

        Adoption.Report report = adopt(false);

        assertThat(report.anyRefused()).isTrue();
        assertThat(report.results()).noneMatch(Adoption.Result::adopted);
        Map<String, String> reasons = report.results().stream()
                .collect(Collectors.toMap(Adoption.Result::user, Adoption.Result::reason));
        assertThat(reasons).hasSize(5);
        assertThat(reasons.get("untagged")).contains("does not take part in rotation");
        assertThat(reasons.get("inactive")).contains("no other active key");
        assertThat(reasons.get("gone")).contains("has no key AKIAOTHERKEY");
        assertThat(reasons.get("nobody")).contains("does not exist");
        assertThat(reasons.get("tampered")).contains("seal that does not verify");
        assertThat(table.records()).isEmpty();
        assertThat(directory.keyIds("inactive")).hasSize(2);
    }

    @Test
    void refusesAnItemNamingTheUsersNewerKey_theOneAForgerWouldWantDeleted() {
        twoKeys("alice", Map.of("IKR:EMAIL", "alice@example.com"), KeyStatus.ACTIVE);
        originalItem("alice", "AKIANEWALICE");

        Adoption.Report report = adopt(false);

        assertThat(report.results()).singleElement().satisfies(result -> {
            assertThat(result.adopted()).isFalse();
            assertThat(result.reason()).contains("is newer than the user's other key AKIAOLDALICE");
        });
        assertThat(table.records()).isEmpty();
    }
}
