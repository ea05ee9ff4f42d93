package dev.ikr.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.AllowedEmailDomains;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.KmsKey;
import dev.ikr.domain.KmsKeyDecision;
import dev.ikr.domain.KmsKeyDecision.EnableAutoRotation;
import dev.ikr.domain.KmsKeyDecision.Misconfigured;
import dev.ikr.domain.KmsKeyDecision.Repair;
import dev.ikr.domain.KmsKeyDecision.Rotate;
import dev.ikr.domain.KmsKeyDecision.Skip;
import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.KmsSkipReason;
import dev.ikr.domain.RotationPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KmsRotationPlannerTest {

    private static final Instant NOW = Instant.parse("2027-03-01T12:00:00Z");
    private static final String OLD = "11111111-1111-1111-1111-111111111111";
    private static final String NEW = "22222222-2222-2222-2222-222222222222";
    private static final Map<String, String> OWNER = Map.of("IKR:EMAIL", "owner@example.com");

    private final KmsRotationPlanner planner = planner(false);

    private static KmsRotationPlanner planner(boolean autoRotation) {
        return new KmsRotationPlanner(new KmsRotationPlanner.Options(new RotationPolicy(365, 5),
                AllowedEmailDomains.any(), autoRotation));
    }

    /** An enabled RSA signing key of KMS's own material, 400 days old, with one alias and the owner tag. */
    private static Key key() {
        return new Key(OLD, "RSA_2048", "SIGN_VERIFY", "AWS_KMS", false, "Enabled", false, Optional.empty(), 400,
                List.of("alias/app-signing"), OWNER);
    }

    private record Key(String id, String spec, String usage, String origin, boolean awsManaged, String state,
            boolean multiRegion, Optional<String> store, long ageDays, List<String> aliases, Map<String, String> tags) {

        Key withId(String value) {
            return new Key(value, spec, usage, origin, awsManaged, state, multiRegion, store, ageDays, aliases, tags);
        }

        Key withSpec(String value, String keyUsage) {
            return new Key(id, value, keyUsage, origin, awsManaged, state, multiRegion, store, ageDays, aliases, tags);
        }

        Key withOrigin(String value) {
            return new Key(id, spec, usage, value, awsManaged, state, multiRegion, store, ageDays, aliases, tags);
        }

        Key asAwsManaged() {
            return new Key(id, spec, usage, origin, true, state, multiRegion, store, ageDays, aliases, Map.of());
        }

        Key withState(String value) {
            return new Key(id, spec, usage, origin, awsManaged, value, multiRegion, store, ageDays, aliases, tags);
        }

        Key asMultiRegion() {
            return new Key(id, spec, usage, origin, awsManaged, state, true, store, ageDays, aliases, tags);
        }

        Key withStore(String value) {
            return new Key(id, spec, usage, origin, awsManaged, state, multiRegion, Optional.of(value), ageDays,
                    aliases, tags);
        }

        Key withAge(long days) {
            return new Key(id, spec, usage, origin, awsManaged, state, multiRegion, store, days, aliases, tags);
        }

        Key withAliases(String... names) {
            return new Key(id, spec, usage, origin, awsManaged, state, multiRegion, store, ageDays, List.of(names),
                    tags);
        }

        Key withTags(Map<String, String> value) {
            return new Key(id, spec, usage, origin, awsManaged, state, multiRegion, store, ageDays, aliases, value);
        }

        Key withTag(String name, String value) {
            var all = new HashMap<>(tags);
            all.put(name, value);
            return withTags(all);
        }

        KmsKey kms() {
            return new KmsKey(id, "arn:aws:kms:eu-west-1:123456789012:key/" + id, spec, usage, origin, awsManaged,
                    state, multiRegion, store, NOW.minus(Duration.ofDays(ageDays)), "signs releases", aliases, tags,
                    Optional.empty());
        }
    }

    private KmsKeyDecision decide(Key key, KmsKeyRecord... records) {
        return planner.decide(key.kms(), List.of(key.kms()), List.of(records), NOW);
    }

    private static Skip assertSkip(KmsKeyDecision decision, KmsSkipReason reason) {
        assertThat(decision).isInstanceOf(Skip.class);
        Skip skip = (Skip) decision;
        assertThat(skip.reason()).isEqualTo(reason);
        assertThat(skip.detail()).isNotBlank();
        return skip;
    }

    private static KmsKeyRecord pendingRetirement() {
        return KmsKeyRecord.intent(key().kms(), EmailAddress.of("owner@example.com"), NOW.minus(Duration.ofDays(1)))
                .scheduled(NEW, NOW.plus(Duration.ofDays(4)));
    }

    @Test
    void rotatesAnAsymmetricOrHmacKey_atItsLimit_withItsOwnerAndPolicy() {
        for (Key key : List.of(key(), key().withSpec("ECC_NIST_P256", "SIGN_VERIFY"),
                key().withSpec("HMAC_256", "GENERATE_VERIFY_MAC"), key().withSpec("RSA_4096", "ENCRYPT_DECRYPT").withAge(365))) {
            KmsKeyDecision decision = decide(key);

            assertThat(decision).as(key.spec()).isInstanceOf(Rotate.class);
            Rotate rotate = (Rotate) decision;
            assertThat(rotate.settings().email().value()).isEqualTo("owner@example.com");
            assertThat(rotate.policy()).isEqualTo(new RotationPolicy(365, 5));
        }
    }

    @Test
    void skipsAKeyYoungerThanItsLimit_andItsTagsOverrideTheDefaults() {
        Skip skip = assertSkip(decide(key().withAge(364)), KmsSkipReason.NOT_DUE);
        assertThat(skip.detail()).contains("364 days old").contains("365 days");

        KmsKeyDecision tagged = decide(key().withAge(30).withTag("IKR:ROTATE_AFTER_DAYS", "30")
                .withTag("ikr:delete_after_days", "9"));
        assertThat(tagged).isInstanceOf(Rotate.class);
        assertThat(((Rotate) tagged).policy()).isEqualTo(new RotationPolicy(30, 9));
    }

    @Test
    void neverTouchesTheKindsKmsOrNobodyCanRotateByAlias_andSaysWhy() {
        assertSkip(decide(key().asAwsManaged()), KmsSkipReason.AWS_MANAGED);
        assertSkip(decide(key().withState("Disabled")), KmsSkipReason.NOT_ENABLED);
        assertSkip(decide(key().withState("PendingDeletion")), KmsSkipReason.NOT_ENABLED);
        assertSkip(decide(key().withOrigin("EXTERNAL")), KmsSkipReason.IMPORTED_MATERIAL);
        assertSkip(decide(key().withOrigin("AWS_CLOUDHSM").withStore("cks-1234567890abcdef0")),
                KmsSkipReason.CUSTOM_KEY_STORE);
        assertSkip(decide(key().withOrigin("EXTERNAL_KEY_STORE")), KmsSkipReason.CUSTOM_KEY_STORE);
        assertSkip(decide(key().withId("mrk-0123456789abcdef0123456789abcdef").asMultiRegion()), KmsSkipReason.MULTI_REGION);
        assertSkip(decide(key().withSpec("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")), KmsSkipReason.SYMMETRIC);
        assertSkip(decide(key().withSpec("SM2", "SIGN_VERIFY")), KmsSkipReason.UNSUPPORTED_SPEC);
        assertSkip(decide(key().withTags(Map.of("team", "payments"))), KmsSkipReason.NOT_ENROLLED);
        assertSkip(decide(key().withAliases()), KmsSkipReason.NO_ALIAS);
    }

    @Test
    void turnsOnAutomaticRotation_ofAnOwnersSymmetricKey_onlyWhenAskedTo() {
        Key symmetric = key().withSpec("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");

        assertThat(planner(true).decide(symmetric.kms(), List.of(), List.of(), NOW))
                .isEqualTo(new EnableAutoRotation(symmetric.kms()));
        assertSkip(planner(true).decide(symmetric.withTags(Map.of()).kms(), List.of(), List.of(), NOW),
                KmsSkipReason.SYMMETRIC);
        assertSkip(decide(symmetric), KmsSkipReason.SYMMETRIC);
    }

    @Test
    void isMisconfigured_byATagItCannotUse() {
        assertThat(decide(key().withTags(Map.of("IKR:EMAIL", "not an address")))).isInstanceOf(Misconfigured.class);
        assertThat(decide(key().withTag("IKR:ROTATE_AFTER_DAYS", "often"))).isInstanceOf(Misconfigured.class);
        assertThat(decide(key().withTag("IKR:DELIVER_TO", "ssm:/x"))).isInstanceOf(Misconfigured.class);
        assertThat(decide(key().withTag("\u0131kr:rotate_after_days", "9"))).isInstanceOf(Misconfigured.class);
        assertThat(new KmsRotationPlanner(new KmsRotationPlanner.Options(new RotationPolicy(365, 5),
                AllowedEmailDomains.parse("example.org", "ALLOWED_EMAIL_DOMAINS"), false))
                .decide(key().kms(), List.of(), List.of(), NOW)).isInstanceOf(Misconfigured.class);
    }

    @Test
    void leavesTheOldKeyAndItsReplacementAlone_whileTheOldKeyRetires() {
        KmsKeyRecord retiring = pendingRetirement();

        assertSkip(decide(key().withAliases(), retiring), KmsSkipReason.RETIRING);
        assertSkip(decide(key().withId(NEW).withAge(400), retiring), KmsSkipReason.ROTATION_IN_PROGRESS);
        Skip parked = assertSkip(decide(key().withId(NEW), retiring.with(retiring.rotation().parked("alias moved back"))),
                KmsSkipReason.AWAITING_ATTENTION);
        assertThat(parked.reason().needsAttention()).isTrue();
        assertThat(parked.detail()).contains("alias moved back");
    }

    @Test
    void withdrawsAnInterruptedRotation_whatItsIntentNames_andWhatCarriesItsRotatedFromTag() {
        KmsKeyRecord intent = KmsKeyRecord.intent(key().kms(), EmailAddress.of("owner@example.com"), NOW);
        KmsKey named = key().withId(NEW).withAge(0).withAliases("alias/app-signing").withTag("IKR:ROTATED_FROM", OLD).kms();
        KmsKey tagged = key().withId("33333333-3333-3333-3333-333333333333").withAge(0).withAliases()
                .withTag("IKR:ROTATED_FROM", OLD).kms();
        KmsKey otherSpec = key().withId("44444444-4444-4444-4444-444444444444").withSpec("ECC_NIST_P256", "SIGN_VERIFY")
                .withAliases().withTag("IKR:ROTATED_FROM", OLD).kms();
        KmsKey alreadyWithdrawn = key().withId("55555555-5555-5555-5555-555555555555").withState("PendingDeletion")
                .withAliases().withTag("IKR:ROTATED_FROM", OLD).kms();
        KmsKey unrelated = key().withId("66666666-6666-6666-6666-666666666666").withAliases().kms();
        List<KmsKey> all = List.of(key().withAliases().kms(), named, tagged, otherSpec, alreadyWithdrawn, unrelated);

        KmsKeyDecision decision = planner.decide(key().withAliases().kms(), all, List.of(intent.withNewKey(NEW)), NOW);

        assertThat(decision).isInstanceOf(Repair.class);
        assertThat(((Repair) decision).created()).as("what its aliases may point at; the use case withdraws those"
                + " not yet pending deletion").containsExactly(named, tagged, alreadyWithdrawn);
    }

    @Test
    void leavesAnInterruptedRotationToAPerson_whenItsNewKeyCarriesAnAliasItDidNotMove() {
        KmsKeyRecord intent = KmsKeyRecord.intent(key().kms(), EmailAddress.of("owner@example.com"), NOW);
        KmsKey created = key().withId(NEW).withAge(0).withAliases("alias/app-signing", "alias/someone-elses")
                .withTag("IKR:ROTATED_FROM", OLD).kms();

        Skip skip = assertSkip(planner.decide(key().withAliases().kms(), List.of(created), List.of(intent), NOW),
                KmsSkipReason.INTERRUPTED_ROTATION);
        assertThat(skip.detail()).contains("alias/someone-elses");
        assertThat(skip.reason().needsAttention()).isTrue();
    }

    @Test
    void theCopyOfAKey_isItsSpecUsageDescriptionPolicyAndTags_withItsIdAsRotatedFrom() {
        KmsKey key = key().withTag("team", "payments").withTag("ikr:rotated_from", "an-older-key").kms();

        var copy = key.copy("{\"Statement\": []}");

        assertThat(copy.keySpec()).isEqualTo("RSA_2048");
        assertThat(copy.keyUsage()).isEqualTo("SIGN_VERIFY");
        assertThat(copy.description()).isEqualTo("signs releases");
        assertThat(copy.keyPolicy()).isEqualTo("{\"Statement\": []}");
        assertThat(copy.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("IKR:EMAIL", "owner@example.com",
                "team", "payments", "IKR:ROTATED_FROM", OLD));
    }
}
