package dev.ikr.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeliveryBoundsTest {

    private static final List<String> OWN = List.of("/ikr/secret/", "/ikr/record-mac-key", "/mail/smtp-password");

    @Test
    void aKindWithoutItsSetting_isOff_namingTheVariable() {
        assertThat(DeliveryBounds.NONE.refusal(DeliveryTarget.parse("secretsmanager:ikr/a")))
                .contains("secretsmanager: targets are off in this deployment (DELIVERY_SECRET_PREFIX is not set)");
        assertThat(DeliveryBounds.NONE.refusal(DeliveryTarget.parse("ssm:/ikr/keys/a")))
                .contains("ssm: targets are off in this deployment (DELIVERY_PARAMETER_PREFIX is not set)");
        assertThat(DeliveryBounds.NONE.refusal(DeliveryTarget.parse("lambda:f")))
                .contains("lambda: targets are off in this deployment (DELIVERY_FUNCTIONS is not set)");
        assertThat(DeliveryBounds.NONE.anyOn()).isFalse();
    }

    @Test
    void targetsWithinTheirBound_arePermitted_byNameEvenWhenGivenAsAnArn() {
        var bounds = new DeliveryBounds(Optional.of("ikr/"), Optional.of("/ikr/keys/"), Set.of("deliver"));

        assertThat(bounds.refusal(DeliveryTarget.parse("secretsmanager:ikr/ci"))).isEmpty();
        assertThat(bounds.refusal(DeliveryTarget.parse(
                "secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:ikr/ci-AbCdEf"))).isEmpty();
        assertThat(bounds.refusal(DeliveryTarget.parse(
                "secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:other/ci-AbCdEf")))
                .contains("secret 'other/ci-AbCdEf' does not start with DELIVERY_SECRET_PREFIX 'ikr/'");
        assertThat(bounds.refusal(DeliveryTarget.parse("ssm:/ikr/keys/ci"))).isEmpty();
        assertThat(bounds.refusal(DeliveryTarget.parse("ssm:/ikr/keysX"))).isPresent();
        assertThat(bounds.refusal(DeliveryTarget.parse("lambda:deliver"))).isEmpty();
        assertThat(bounds.refusal(DeliveryTarget.parse("lambda:arn:aws:lambda:eu-west-1:123456789012:function:deliver")))
                .isEmpty();
        assertThat(bounds.refusal(DeliveryTarget.parse("lambda:deliver2"))).isPresent();
        assertThat(bounds.anyOn()).isTrue();
    }

    @Test
    void settingsAreRead_orRefusedInOneSentenceNamingTheVariable() {
        assertThat(DeliveryBounds.secretPrefix("ikr/", "DELIVERY_SECRET_PREFIX")).isEqualTo("ikr/");
        assertThat(DeliveryBounds.parameterPrefix("/ikr/keys/", "DELIVERY_PARAMETER_PREFIX", OWN))
                .isEqualTo("/ikr/keys/");
        assertThat(DeliveryBounds.functions("deliver-a, deliver_b", "DELIVERY_FUNCTIONS"))
                .containsExactlyInAnyOrder("deliver-a", "deliver_b");

        assertThatThrownBy(() -> DeliveryBounds.secretPrefix("ikr keys", "DELIVERY_SECRET_PREFIX"))
                .hasMessageStartingWith("DELIVERY_SECRET_PREFIX must be the start of a secret name");
        assertThatThrownBy(() -> DeliveryBounds.parameterPrefix("ikr/keys/", "DELIVERY_PARAMETER_PREFIX", OWN))
                .hasMessageStartingWith("DELIVERY_PARAMETER_PREFIX must be the start of a parameter path");
        assertThatThrownBy(() -> DeliveryBounds.functions("a,,b", "DELIVERY_FUNCTIONS"))
                .hasMessageStartingWith("DELIVERY_FUNCTIONS must be a comma-separated list of function names");
        assertThatThrownBy(() -> DeliveryBounds.functions("arn:aws:lambda:eu-west-1:123456789012:function:f",
                "DELIVERY_FUNCTIONS")).hasMessageStartingWith("DELIVERY_FUNCTIONS must be");
    }

    @Test
    void aParameterPrefixThatReachesIkrsOwnParameters_isRefused() {
        for (String prefix : List.of("/", "/ikr", "/ikr/", "/ikr/secret/iam/", "/ikr/record", "/mail/")) {
            assertThatThrownBy(() -> DeliveryBounds.parameterPrefix(prefix, "DELIVERY_PARAMETER_PREFIX", OWN))
                    .as(prefix).hasMessageContaining("reaches IKR's own parameter");
        }
    }
}
