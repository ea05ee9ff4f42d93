package dev.ikr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryTargetTest {

    @Test
    void secretNamesAndArns_andParameterNames_areRead() {
        assertThat(DeliveryTarget.parse("secretsmanager:ci/deployer+key=1.@-_"))
                .isEqualTo(new DeliveryTarget.Secret("ci/deployer+key=1.@-_", Optional.empty()));
        String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/deployer-AbCdEf";
        assertThat(DeliveryTarget.parse("secretsmanager:" + arn))
                .isEqualTo(new DeliveryTarget.Secret(arn, Optional.of("eu-west-1")));
        assertThat(DeliveryTarget.parse("ssm:/ci/deployer_key.v-1"))
                .isEqualTo(new DeliveryTarget.Parameter("/ci/deployer_key.v-1"));
    }

    @Test
    void malformedTargets_areRefused_withTheReason() {
        assertRefused("ci/deployer", "is not KIND:NAME");
        assertRefused("s3:bucket/key", "unknown target kind 's3'");
        assertRefused("lambda:deliver-keys", "delivery target of the rotator");
        assertRefused("secretsmanager:", "needs a secret name");
        assertRefused("ssm:", "needs a parameter name");
        assertRefused("secretsmanager:ci deployer", "not a valid secret name");
        assertRefused("secretsmanager:" + "a".repeat(513), "not a valid secret name");
        assertRefused("secretsmanager:arn:aws:secretsmanager:eu-west-1:1234:secret:x",
                "not a Secrets Manager secret ARN");
        assertRefused("secretsmanager:arn:aws:ssm:eu-west-1:123456789012:parameter/x", "not a Secrets Manager");
        assertRefused("ssm:ci/deployer", "starts with /");
        assertRefused("ssm:/ci/deployer key", "starts with /");
        assertRefused("ssm:/" + "a".repeat(1011), "at most 1011");
        assertRefused("ssm:/ci//deployer", "empty level");
        assertRefused("ssm:/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", "more than 15 levels");
        assertRefused("ssm:/aws/reserved", "AWS reserves");
    }

    private static void assertRefused(String target, String reason) {
        assertThatThrownBy(() -> DeliveryTarget.parse(target)).as(target)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }
}
