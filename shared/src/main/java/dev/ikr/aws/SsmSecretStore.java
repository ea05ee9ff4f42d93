package dev.ikr.aws;

import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.SecretParameterName;
import dev.ikr.port.SecretStore;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Per-user encryption keys as SSM SecureString parameters. */
public final class SsmSecretStore implements SecretStore {

    private final SsmClient ssm;

    public SsmSecretStore(SsmClient ssm) {
        this.ssm = ssm;
    }

    @Override
    public void putUserKey(String user, EncryptionKey key) {
        ssm.putParameter(request -> request
                .name(SecretParameterName.forUser(user))
                .description("IKR: decrypts the access key mailed to " + user)
                .type(ParameterType.SECURE_STRING)
                .value(key.encoded())
                .overwrite(true));
    }

    @Override
    public Optional<EncryptionKey> userKey(String user) {
        try {
            String value = ssm.getParameter(request -> request
                    .name(SecretParameterName.forUser(user))
                    .withDecryption(true)).parameter().value();
            return Optional.of(EncryptionKey.fromEncoded(value));
        } catch (ParameterNotFoundException absent) {
            return Optional.empty();
        }
    }

    @Override
    public void deleteUserKey(String user) {
        try {
            ssm.deleteParameter(request -> request.name(SecretParameterName.forUser(user)));
        } catch (ParameterNotFoundException alreadyGone) {
            // absent counts as deleted
        }
    }
}
