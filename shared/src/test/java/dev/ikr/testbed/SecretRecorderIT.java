package dev.ikr.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** The global interceptor sees the secrets of every SDK client in the JVM, so the scan knows what to look for. */
@ExtendWith(MotoExtension.class)
class SecretRecorderIT {

    @Test
    void recordsNewSecretAccessKeys_andSecureStringValues() {
        var account = new TestAccount(Moto.shared());
        account.createUser("alice", Map.of());
        String secret = account.aws().iam().createAccessKey(request -> request.userName("alice"))
                .accessKey().secretAccessKey();
        account.aws().ssm().putParameter(request -> request.name("/ikr/secret/smtp").value("smtp-password-1")
                .type(ParameterType.SECURE_STRING));
        account.aws().ssm().putParameter(request -> request.name("/plain").value("not-a-secret-1")
                .type(ParameterType.STRING));

        assertThat(SecretRecorder.secrets()).contains(secret, "smtp-password-1").doesNotContain("not-a-secret-1");
    }
}
