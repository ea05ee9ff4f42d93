package dev.ikr.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.KmsKey;
import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.KmsRetirementDecision;
import dev.ikr.domain.KmsRetirementDecision.AlreadyRetired;
import dev.ikr.domain.KmsRetirementDecision.Park;
import dev.ikr.domain.KmsRetirementDecision.Retire;
import dev.ikr.domain.RecordState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KmsRetirementPlannerTest {

    private static final Instant NOW = Instant.parse("2027-03-06T12:00:00Z");
    private static final String OLD = "11111111-1111-1111-1111-111111111111";
    private static final String NEW = "22222222-2222-2222-2222-222222222222";

    private final KmsRetirementPlanner planner = new KmsRetirementPlanner();

    private static KmsKey key(String id, String state, List<String> aliases, Map<String, String> tags) {
        return new KmsKey(id, "arn:aws:kms:eu-west-1:123456789012:key/" + id, "ECC_NIST_P256", "SIGN_VERIFY",
                "AWS_KMS", false, state, false, Optional.empty(), NOW.minus(Duration.ofDays(400)), "", aliases, tags,
                state.equals("PendingDeletion") ? Optional.of(NOW.plus(Duration.ofDays(30))) : Optional.empty());
    }

    private static KmsKey old(List<String> aliases) {
        return key(OLD, "Enabled", aliases, Map.of("IKR:EMAIL", "owner@example.com"));
    }

    private static KmsKey replacement(String state) {
        return key(NEW, state, List.of("alias/app-signing"), Map.of("IKR:EMAIL", "owner@example.com"));
    }

    private static KmsKeyRecord record() {
        KmsKey rotated = old(List.of("alias/app-signing"));
        return KmsKeyRecord.intent(rotated, EmailAddress.of("owner@example.com"), NOW.minus(Duration.ofDays(5)))
                .scheduled(NEW, NOW);
    }

    private KmsRetirementDecision decide(Optional<KmsKey> old, Optional<KmsKey> replacement) {
        return planner.decide(record(), old, replacement);
    }

    @Test
    void retiresTheOldKey_whenKmsCorroboratesTheItem() {
        assertThat(decide(Optional.of(old(List.of())), Optional.of(replacement("Enabled"))))
                .isEqualTo(new Retire(record()));
    }

    @Test
    void keepsTheOldKey_andParksTheItem_whenKmsDoesNotCorroborateIt() {
        List<KmsRetirementDecision> refused = List.of(
                decide(Optional.of(old(List.of("alias/app-signing"))), Optional.of(replacement("Enabled"))),
                decide(Optional.of(key(OLD, "Enabled", List.of(), Map.of("team", "x"))),
                        Optional.of(replacement("Enabled"))),
                decide(Optional.of(old(List.of())), Optional.empty()),
                decide(Optional.of(old(List.of())), Optional.of(replacement("Disabled"))),
                decide(Optional.of(key(NEW, "Enabled", List.of(), Map.of("IKR:EMAIL", "owner@example.com"))),
                        Optional.of(replacement("Enabled"))));

        assertThat(refused).allSatisfy(decision -> {
            assertThat(decision).isInstanceOf(Park.class);
            Park park = (Park) decision;
            assertThat(park.parked().state()).isEqualTo(RecordState.NEEDS_ATTENTION);
            assertThat(park.parked().rotation().deleteOn()).as("no TTL: nothing happens without a person").isEmpty();
            assertThat(park.parked().aliases()).containsExactly("alias/app-signing");
        });
        assertThat(((Park) refused.getFirst()).reason()).contains("alias/app-signing").contains("again");
    }

    @Test
    void hasNothingLeftToDo_whenTheKeyIsGoneOrAlreadyPendingDeletion() {
        assertThat(decide(Optional.empty(), Optional.of(replacement("Enabled")))).isInstanceOf(AlreadyRetired.class);
        assertThat(decide(Optional.of(key(OLD, "PendingDeletion", List.of(), Map.of("IKR:EMAIL", "o@example.com"))),
                Optional.of(replacement("Enabled")))).isInstanceOf(AlreadyRetired.class);
    }
}
