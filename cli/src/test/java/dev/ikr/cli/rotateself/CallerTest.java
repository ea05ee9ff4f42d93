package dev.ikr.cli.rotateself;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void anIamUser_isNamedByTheLastPartOfItsArn_pathIncluded() {
        assertThat(Caller.fromArn("arn:aws:iam::123456789012:user/ci/deployers/deployer"))
                .isEqualTo(new Caller.IamUser("arn:aws:iam::123456789012:user/ci/deployers/deployer", "123456789012",
                        "deployer"));
        assertThat(Caller.fromArn("arn:aws-cn:iam::123456789012:user/alice"))
                .isInstanceOf(Caller.IamUser.class);
    }

    @Test
    void root_roles_assumedRoles_federatedUsers_andOddArns_areNotUsers() {
        assertThat(what("arn:aws:iam::123456789012:root")).contains("root");
        assertThat(what("arn:aws:sts::123456789012:assumed-role/deploy/session")).contains("assumed role");
        assertThat(what("arn:aws:iam::123456789012:role/deploy")).contains("role");
        assertThat(what("arn:aws:sts::123456789012:federated-user/bob")).contains("federated user");
        assertThat(what("arn:aws:sts::123456789012:user/moto")).isEqualTo("a principal other than an IAM user");
        assertThat(what("arn:aws:iam::123456789012:user/")).contains("without a name");
        assertThat(what("not-an-arn")).contains("not an ARN");
    }

    private static String what(String arn) {
        return ((Caller.NotAUser) Caller.fromArn(arn)).what();
    }
}
