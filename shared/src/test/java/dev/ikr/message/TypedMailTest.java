package dev.ikr.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.KeyUse;
import dev.ikr.domain.MailMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each mail IKR sends is a record: what it holds is what its template shows, and nothing is left out. */
class TypedMailTest {

    private static final EmailAddress ALICE = EmailAddress.of("alice@example.com");
    private static final MailAccount ACCOUNT = new MailAccount("123456789012", Optional.of("prod"));
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String NEW = "AKIANEWKEY0000000001";
    private static final String OLD = "AKIAOLDKEY0000000001";
    private static final Instant DELETE_ON = Instant.parse("2026-12-01T12:00:30Z");

    private final MessageRenderer renderer = new MessageRenderer();

    private static NewKeyMail newKey(NewKeyMail.KeyPart key) {
        return new NewKeyMail(ALICE, ACCOUNT, "alice", NEW, OLD, DELETE_ON, Optional.empty(),
                List.of("Restart the exporter"), key);
    }

    @Test
    void aNewKeyInClear_showsTheSecretTheAccountAndTheDateToTheMinute() {
        MailMessage mail = renderer.render(newKey(new NewKeyMail.Plain(SECRET)));

        assertThat(mail.to()).containsExactly(ALICE);
        assertThat(mail.subject()).isEqualTo("IKR: new AWS access key for alice in account prod (123456789012)");
        assertThat(mail.text()).contains("aws_secret_access_key = " + SECRET, "2026-12-01 12:00 UTC",
                "- Restart the exporter").doesNotContain("decrypt");
    }

    @Test
    void anEncryptedNewKey_showsTheTokensAndTheParameter_neverASecret() {
        MailMessage mail = renderer.render(newKey(new NewKeyMail.Encrypted("gAAAAAtoken1", "gAAAAAtoken2",
                "/ikr/secret/iam/alice", Optional.empty())));

        assertThat(mail.text()).contains("gAAAAAtoken1", "gAAAAAtoken2", "/ikr/secret/iam/alice",
                "Your AWS administrator can tell you how to decrypt them").doesNotContain(SECRET);
    }

    @Test
    void aMailThatReplacesAnUndeliveredKey_saysSo() {
        var mail = new NewKeyMail(ALICE, new MailAccount("123456789012", Optional.empty()), "alice", NEW, OLD,
                DELETE_ON, Optional.of("AKIAUNDELIVERED00001"), List.of(), new NewKeyMail.Plain(SECRET));

        assertThat(renderer.render(mail).text()).contains("replaces an earlier one with the access key"
                + " AKIAUNDELIVERED00001").contains("Account: 123456789012");
    }

    @Test
    void theKeyDeletedMail_mentionsTheDecryptionKeyOnlyWhenItWasDeletedToo() {
        String with = renderer.render(new KeyDeletedMail(ALICE, ACCOUNT, "alice", OLD, Optional.of(NEW),
                Optional.of("/ikr/secret/iam/alice"))).text();
        String without = renderer.render(new KeyDeletedMail(ALICE, ACCOUNT, "alice", OLD, Optional.empty(),
                Optional.empty())).text();

        assertThat(with).contains("Deleted access key ID: " + OLD, "Access key ID in use from now on: " + NEW,
                "/ikr/secret/iam/alice");
        assertThat(without).contains("Deleted access key ID: " + OLD).doesNotContain("/ikr/secret", "in use from now");
    }

    @Test
    void theActionNeededMail_saysWhetherTheKeyWasKept() {
        String kept = renderer.render(new ActionNeededMail(ALICE, ACCOUNT, "alice", OLD, Optional.of(NEW),
                "it is the only key", true, "/ikr/secret/iam/alice")).text();
        String deleted = renderer.render(new ActionNeededMail(ALICE, ACCOUNT, "alice", OLD, Optional.empty(),
                "SSM refused", false, "/ikr/secret/iam/alice")).text();

        assertThat(kept).contains("Access key ID kept: " + OLD, "it is the only key").doesNotContain("/ikr/secret");
        assertThat(deleted).contains("Access key ID deleted: " + OLD, "SSM refused",
                "Delete the SSM parameter /ikr/secret/iam/alice");
    }

    @Test
    void aMailCannotBeBuiltWithoutItsValues() {
        assertThatThrownBy(() -> new NewKeyMail.Plain(" ")).hasMessageContaining("secretAccessKey");
        assertThatThrownBy(() -> newKey(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> new KeyDeletedMail(ALICE, ACCOUNT, "alice", "", Optional.empty(), Optional.empty()))
                .hasMessageContaining("oldKeyId");
        assertThatThrownBy(() -> new ActionNeededMail(ALICE, ACCOUNT, "alice", OLD, Optional.empty(), "", true,
                "/ikr/secret/iam/alice")).hasMessageContaining("reason");
    }

    @Test
    void aSecretInAMailRecord_neverShowsInItsText() {
        assertThat(new NewKeyMail.Plain(SECRET).toString()).doesNotContain(SECRET);
        assertThat(newKey(new NewKeyMail.Plain(SECRET)).toString()).doesNotContain(SECRET);
    }

    @Test
    void theKeyDeliveredMail_saysWhereTheKeyWent_itsIdAndTheOldKeysDate_andHoldsNoKey() {
        var target = dev.ikr.domain.DeliveryTarget.parse("ssm:/ikr/keys/alice");
        MailMessage mail = renderer.render(new KeyDeliveredMail(ALICE, ACCOUNT, "alice", target, NEW, OLD, DELETE_ON,
                Optional.empty(), List.of("Restart the exporter")));

        assertThat(mail.subject()).isEqualTo("IKR: new AWS access key for alice in account prod (123456789012)"
                + " delivered to ssm:/ikr/keys/alice");
        assertThat(mail.text()).contains("the SSM parameter (SecureString) /ikr/keys/alice",
                "New access key ID: " + NEW, "Old access key ID: " + OLD + " (deleted on 2026-12-01 12:00 UTC)",
                "- Restart the exporter").doesNotContain("aws_secret_access_key", "gAAAAA", "decrypt");
    }

    @Test
    void aTwoStageKeyDeliveredMail_showsBothDates() {
        var target = dev.ikr.domain.DeliveryTarget.parse("ssm:/ikr/keys/alice");
        String text = renderer.render(new KeyDeliveredMail(ALICE, ACCOUNT, "alice", target, NEW, OLD, DELETE_ON,
                Optional.empty(), List.of(), Optional.of(DELETE_ON.minus(java.time.Duration.ofDays(3))))).text();

        assertThat(text).contains("deactivated on 2026-11-28 12:00 UTC and deleted on 2026-12-01 12:00 UTC",
                "(deactivated on 2026-11-28 12:00 UTC, deleted on 2026-12-01 12:00 UTC)", "can be re-activated")
                .doesNotContain("gAAAAA");
    }

    @Test
    void theAddressChangeNotice_ofAUserWithADeliveryTarget_saysTheKeyWentToTheTarget() {
        var target = dev.ikr.domain.DeliveryTarget.parse("secretsmanager:ikr/alice");
        String mailed = renderer.render(new AddressChangedMail(ALICE, ACCOUNT, "alice",
                EmailAddress.of("new@example.com"), NEW, Optional.empty())).text();
        String delivered = renderer.render(new AddressChangedMail(ALICE, ACCOUNT, "alice",
                EmailAddress.of("new@example.com"), NEW, Optional.of(target))).text();

        assertThat(mailed).contains("has just mailed a new access key to the new address",
                "Access key ID mailed there: " + NEW).doesNotContain("secretsmanager:");
        assertThat(delivered).contains("delivered a new access key to secretsmanager:ikr/alice and told the new"
                + " address", "New access key ID: " + NEW + ", delivered to secretsmanager:ikr/alice")
                .doesNotContain("mailed");
    }

    @Test
    void theDeactivatedMail_givesTheCommandThatReactivatesTheKey_andTheDeletionDate() {
        String text = renderer.render(new KeyDeactivatedMail(ALICE, ACCOUNT, "alice", OLD, Optional.of(NEW), DELETE_ON,
                Optional.empty())).text();

        assertThat(text).contains("aws iam update-access-key --user-name alice --access-key-id " + OLD
                + " --status Active", "2026-12-01 12:00 UTC", "InvalidClientTokenId").doesNotContain("still in use");
    }

    @Test
    void theInUseMail_namesTheDateServiceAndRegionOfTheUse_andTheNewDate() {
        var use = new KeyUse(Instant.parse("2026-11-30T08:15:00Z"), "s3", "eu-west-1");
        var mail = renderer.render(new KeyInUseMail(ALICE, ACCOUNT, "alice", OLD, Optional.of(NEW), "deactivation",
                use, DELETE_ON, DELETE_ON.plus(java.time.Duration.ofDays(2)), 0));

        assertThat(mail.subject()).contains("still in use");
        assertThat(mail.text()).contains("2026-11-30 08:15 UTC", "Service: s3", "Region: eu-west-1",
                "postponed to 2026-12-01 12:00 UTC", "last postponement");
    }

    @Test
    void aTwoStageNewKeyMail_showsBothDates() {
        var mail = new NewKeyMail(ALICE, ACCOUNT, "alice", NEW, OLD, DELETE_ON, Optional.empty(), List.of(),
                new NewKeyMail.Plain(SECRET), Optional.of(DELETE_ON.minus(java.time.Duration.ofDays(3))));

        assertThat(renderer.render(mail).text()).contains("deactivated on 2026-11-28 12:00 UTC",
                "deleted on 2026-12-01 12:00 UTC", "can be re-activated");
    }

    @Test
    void theKmsKeysMails_nameTheAliasesAndKeys_thePemLineByLine_andHowToCancelARetirement() {
        String pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";
        var rotated = renderer.render(new KmsKeyRotatedMail(ALICE, ACCOUNT, List.of("alias/a", "alias/b"),
                "ECC_NIST_P256", "SIGN_VERIFY", "arn:aws:kms:eu-west-1:123456789012:key/old",
                "arn:aws:kms:eu-west-1:123456789012:key/new", Optional.of(pem), DELETE_ON, List.of("Publish it"),
                Optional.empty()));
        var mac = renderer.render(new KmsKeyRotatedMail(ALICE, ACCOUNT, List.of("alias/mac"), "HMAC_256",
                "GENERATE_VERIFY_MAC", "arn:aws:kms:eu-west-1:123456789012:key/old",
                "arn:aws:kms:eu-west-1:123456789012:key/new", Optional.empty(), DELETE_ON, List.of(), Optional.empty()));
        var retired = renderer.render(new KmsKeyRetiredMail(ALICE, ACCOUNT, List.of("alias/a"), "old-id", "new-id",
                DELETE_ON));

        assertThat(rotated.subject()).contains("KMS key alias/a rotated");
        assertThat(rotated.text()).contains("- alias/a", "- alias/b", "key/old", "key/new", "Publish it",
                "    -----BEGIN PUBLIC KEY-----\n    MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n    -----END PUBLIC KEY-----",
                "must take this one");
        assertThat(mac.text()).doesNotContain("PUBLIC KEY").contains("MAC");
        assertThat(retired.text()).contains("aws kms cancel-key-deletion --key-id old-id",
                "aws kms enable-key --key-id old-id");
    }
}
