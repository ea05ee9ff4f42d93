package dev.ikr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.testing.Variables;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KmsRotationConfigTest {

    private static Map<String, String> env(String... pairs) {
        var env = new HashMap<String, String>(Map.of("IAM_KEY_ROTATOR_TABLE", "ikr-rotations",
                "MAIL_FROM", "ikr@example.com", "RECORD_KMS_KEY_ID", Variables.RECORD_KEY_ARN));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void isOff_withAYearsLimit_andNoAutomaticRotation_byDefault_andRetiresWithTheLongestWindow() {
        assertThat(RotatorConfig.from(env()).kmsKeys()).isEqualTo(KmsRotationConfig.OFF);
        assertThat(DestructorConfig.from(env()).kmsPendingWindowDays()).isEqualTo(30);
    }

    @Test
    void readsEveryVariable() {
        assertThat(RotatorConfig.from(env("ROTATE_KMS_KEYS", "true", "KMS_ROTATE_AFTER_DAYS", "90",
                "KMS_ENABLE_AUTO_ROTATION", "yes")).kmsKeys()).isEqualTo(new KmsRotationConfig(true, 90, true));
        assertThat(DestructorConfig.from(env("KMS_PENDING_WINDOW_DAYS", "7")).kmsPendingWindowDays()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "6", "31", "365", "-7", "seven", "7.5"})
    void failsTheColdStartNamingTheVariableAndKmssBounds_whenThePendingWindowIsOutside7To30(String days) {
        assertThatThrownBy(() -> DestructorConfig.from(env("KMS_PENDING_WINDOW_DAYS", days)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("KMS_PENDING_WINDOW_DAYS must be a whole number of days from 7 to 30 (KMS's bounds), not '"
                        + days + "'.");
    }

    @Test
    void failsTheColdStartNamingTheVariable_whenTheRotationAgeOrASwitchIsWrong() {
        assertThatThrownBy(() -> RotatorConfig.from(env("KMS_ROTATE_AFTER_DAYS", "0")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("KMS_ROTATE_AFTER_DAYS");
        assertThatThrownBy(() -> RotatorConfig.from(env("ROTATE_KMS_KEYS", "maybe")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("ROTATE_KMS_KEYS");
    }

    @Test
    void failsTheColdStart_whenKmsKeysAreToBeRotatedByADeploymentOfManyAccounts() {
        assertThatThrownBy(() -> RotatorConfig.from(env("ROTATE_KMS_KEYS", "true", "ACCOUNTS", "111111111111",
                "ACCOUNT_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/ikr-accounts")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("ROTATE_KMS_KEYS=true needs ACCOUNTS=self");
        assertThat(RotatorConfig.from(env("ROTATE_KMS_KEYS", "true", "ACCOUNTS", "self")).kmsKeys().enabled()).isTrue();
    }
}
