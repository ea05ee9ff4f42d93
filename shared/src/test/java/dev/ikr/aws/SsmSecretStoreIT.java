package dev.ikr.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.EncryptionKey;
import dev.ikr.port.SecretStore.UserKeyDeletion;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** The per-user decryption key in SSM names the access key whose mail it decrypts, and only that rotation deletes it. */
@ExtendWith(MotoExtension.class)
class SsmSecretStoreIT {

    private static final String PARAMETER = "/ikr/secret/iam/alice";

    private final TestAccount account = new TestAccount(Moto.shared());
    private final SsmSecretStore store = new SsmSecretStore(account.aws().ssm());
    private final EncryptionKey key = EncryptionKey.generate(new SecureRandom());

    @Test
    void storesTheKeyAsASecureString_namingTheAccessKeyItProtects() {
        store.putUserKey("alice", key, "AKIAFIRST00000000001");

        assertThat(account.parameterType(PARAMETER)).contains("SecureString");
        assertThat(store.userKey("alice")).contains(key);
        assertThat(SsmSecretStore.notedKeyId(account.aws().ssm().getParameterHistory(request -> request
                .name(PARAMETER)).parameters().getFirst().description())).contains("AKIAFIRST00000000001");
    }

    @Test
    void encryptsWithTheCustomerKey_whenOneIsConfigured() {
        new SsmSecretStore(account.aws().ssm(), Optional.of("alias/ikr-secrets"))
                .putUserKey("alice", key, "AKIAFIRST00000000001");

        assertThat(account.aws().ssm().getParameterHistory(request -> request.name(PARAMETER)).parameters()
                .getFirst().keyId()).isEqualTo("alias/ikr-secrets");
    }

    @Test
    void deletesTheKey_onlyForTheRotationItBelongsTo() {
        store.putUserKey("alice", key, "AKIAFIRST00000000001");
        store.putUserKey("alice", key, "AKIASECOND0000000002");

        assertThat(store.deleteUserKey("alice", Optional.of("AKIAFIRST00000000001")))
                .isEqualTo(UserKeyDeletion.KEPT_FOR_ANOTHER_ROTATION);
        assertThat(account.parameter(PARAMETER)).isPresent();
        assertThat(store.deleteUserKey("alice", Optional.empty())).isEqualTo(UserKeyDeletion.KEPT_FOR_ANOTHER_ROTATION);

        assertThat(store.deleteUserKey("alice", Optional.of("AKIASECOND0000000002"))).isEqualTo(UserKeyDeletion.DELETED);
        assertThat(account.parameter(PARAMETER)).isEmpty();
        assertThat(store.deleteUserKey("alice", Optional.of("AKIASECOND0000000002"))).isEqualTo(UserKeyDeletion.ABSENT);
    }

    @Test
    void deletesAKeyThatNamesNoAccessKey_asTheOriginalProjectWroteThem() {
        account.aws().ssm().putParameter(request -> request.name(PARAMETER).value(key.encoded())
                .type(ParameterType.SECURE_STRING).description("written by aws-iam-key-rotator"));

        assertThat(store.deleteUserKey("alice", Optional.of("AKIAANY0000000000001"))).isEqualTo(UserKeyDeletion.DELETED);
        assertThat(account.parameter(PARAMETER)).isEmpty();
    }
}
