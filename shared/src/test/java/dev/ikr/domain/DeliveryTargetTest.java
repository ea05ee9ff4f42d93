package dev.ikr.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryTargetTest {

    @Test
    void secretNamesAndArns_parameterNames_andFunctionNamesAndArns_areRead() {
        assertThat(DeliveryTarget.parse("secretsmanager:ci/deployer+key=1.@-_"))
                .isEqualTo(new DeliveryTarget.Secret("ci/deployer+key=1.@-_", Optional.empty()));
        String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/deployer-AbCdEf";
        DeliveryTarget secret = DeliveryTarget.parse("SecretsManager:" + arn);
        assertThat(secret).isEqualTo(new DeliveryTarget.Secret(arn, Optional.of("eu-west-1")));
        assertThat(((DeliveryTarget.Secret) secret).name()).isEqualTo("ci/deployer-AbCdEf");
        assertThat(secret.label()).isEqualTo("secretsmanager:" + arn);
        assertThat(DeliveryTarget.parse("ssm:/ci/deployer_key.v-1"))
                .isEqualTo(new DeliveryTarget.Parameter("/ci/deployer_key.v-1"));
        assertThat(DeliveryTarget.parse("lambda:deliver-ci_key")).isEqualTo(
                new DeliveryTarget.Function("deliver-ci_key", "deliver-ci_key"));
        String function = "arn:aws:lambda:eu-west-1:123456789012:function:deliver-ci-key";
        assertThat(DeliveryTarget.parse("lambda:" + function)).isEqualTo(
                new DeliveryTarget.Function(function, "deliver-ci-key"));
    }

    @Test
    void malformedTargets_areRefused_withTheReason() {
        assertRefused("ci/deployer", "is not KIND:NAME");
        assertRefused("", "is not KIND:NAME");
        assertRefused("s3:bucket/key", "unknown target kind 's3'");
        assertRefused("secretsmanager:", "needs a secret name");
        assertRefused("ssm:", "needs a parameter name");
        assertRefused("lambda:", "needs a function name");
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
        assertRefused("lambda:deliver.key", "not a valid function name");
        assertRefused("lambda:" + "f".repeat(65), "not a valid function name");
        assertRefused("lambda:arn:aws:lambda:eu-west-1:123456789012:function:deliver:live",
                "not the unqualified ARN of a Lambda function");
        assertRefused("lambda:arn:aws:lambda:eu-west-1:1234:function:deliver", "not the unqualified ARN");
    }

    private static void assertRefused(String target, String reason) {
        assertThatThrownBy(() -> DeliveryTarget.parse(target)).as(target)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }
}
