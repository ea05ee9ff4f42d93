package dev.ikr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.domain.AccountSelection;
import dev.ikr.domain.MemberRole;
import dev.ikr.testing.Variables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountsConfigTest {

    private static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/ikr-accounts";

    private static Map<String, String> env(String... pairs) {
        var env = new HashMap<String, String>(Map.of("IAM_KEY_ROTATOR_TABLE", "ikr", "MAIL_FROM", "ikr@example.com",
                "RECORD_KMS_KEY_ID", Variables.RECORD_KEY_ARN));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void isSelf_withTheDefaultRole_whenNothingIsSet() {
        AccountsConfig accounts = RotatorConfig.from(env()).accounts();

        assertThat(accounts.selection()).isEqualTo(AccountSelection.SELF);
        assertThat(accounts.memberRole()).isEqualTo(new MemberRole("ikr-member", Optional.empty()));
        assertThat(accounts.queueUrl()).isEmpty();
        assertThat(RotatorConfig.from(env("ACCOUNTS", " SELF ")).accounts().selection().isSelf()).isTrue();
    }

    @Test
    void readsAListOfAccounts_theOrganization_andItsUnits() {
        assertThat(RotatorConfig.from(env("ACCOUNTS", "111111111111, 222222222222,111111111111",
                "ACCOUNT_QUEUE_URL", QUEUE)).accounts().selection())
                .isEqualTo(new AccountSelection.Listed(List.of("111111111111", "222222222222")));
        assertThat(RotatorConfig.from(env("ACCOUNTS", "organization", "ACCOUNT_QUEUE_URL", QUEUE)).accounts()
                .selection()).isEqualTo(new AccountSelection.Organization(List.of()));
        assertThat(RotatorConfig.from(env("ACCOUNTS", "organization:ou-ab12-cdef3456,ou-ab12-99999999",
                "ACCOUNT_QUEUE_URL", "http://127.0.0.1:5000/123456789012/q")).accounts().selection())
                .isEqualTo(new AccountSelection.Organization(List.of("ou-ab12-cdef3456", "ou-ab12-99999999")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "organization:ou-AB12-cdef3456 | ACCOUNTS names 'ou-AB12-cdef3456', which is not an organizational unit id",
        "organization:r-ab12 | ACCOUNTS names 'r-ab12', which is not an organizational unit id",
        "organization: | ACCOUNTS has an empty entry",
        "11111111111 | ACCOUNTS must be self, organization, organization:<ou-id>,... or comma-separated 12-digit"
                + " account ids; '11111111111' is none of these.",
        "111111111111,,222222222222 | ACCOUNTS has an empty entry",
        "all | 'all' is none of these"})
    void refusesAnInvalidSelection_inOneSentenceNamingTheVariable(String value, String message) {
        assertThatThrownBy(() -> RotatorConfig.from(env("ACCOUNTS", value, "ACCOUNT_QUEUE_URL", QUEUE)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(message)
                .hasMessageEndingWith(".");
    }

    @Test
    void needsTheQueue_unlessSelf() {
        assertThatThrownBy(() -> RotatorConfig.from(env("ACCOUNTS", "111111111111")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("ACCOUNT_QUEUE_URL is required when ACCOUNTS is not self");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqs.eu-west-1.amazonaws.com/123456789012/q", "http://sqs.eu-west-1.amazonaws.com/123456789012/q",
        "https://sqs.eu-west-1.amazonaws.com/q", "https://sqs.eu-west-1.amazonaws.com/12345/q",
        "https://user:pw@sqs.eu-west-1.amazonaws.com/123456789012/q"})
    void refusesAQueueUrlThatIsNotOne(String url) {
        assertThatThrownBy(() -> RotatorConfig.from(env("ACCOUNTS", "organization", "ACCOUNT_QUEUE_URL", url)))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("ACCOUNT_QUEUE_URL must be");
    }

    @Test
    void readsTheMemberRole_inTheDestructorToo_withoutAccounts() {
        MemberRole role = DestructorConfig.from(env("MEMBER_ROLE_NAME", "ikr-member-role",
                "MEMBER_EXTERNAL_ID", "ikr:external-id/1")).memberRole();

        assertThat(role).isEqualTo(new MemberRole("ikr-member-role", Optional.of("ikr:external-id/1")));
        assertThat(role.arn("aws-cn", "111111111111")).isEqualTo("arn:aws-cn:iam::111111111111:role/ikr-member-role");
        assertThat(DestructorConfig.from(env("ACCOUNTS", "not read here")).memberRole()).isEqualTo(MemberRole.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MEMBER_ROLE_NAME | path/ikr-member | MEMBER_ROLE_NAME must be an IAM role name without a path",
        "MEMBER_ROLE_NAME | ikr member | MEMBER_ROLE_NAME must be an IAM role name without a path",
        "MEMBER_EXTERNAL_ID | x | MEMBER_EXTERNAL_ID must be 2 to 1224 of",
        "MEMBER_EXTERNAL_ID | secret value | MEMBER_EXTERNAL_ID must be 2 to 1224 of"})
    void refusesABadRoleNameOrExternalId_withoutQuotingTheExternalId(String variable, String value, String message) {
        assertThatThrownBy(() -> RotatorConfig.from(env(variable, value)))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith(message)
                .hasMessageNotContaining("secret value");
    }
}
