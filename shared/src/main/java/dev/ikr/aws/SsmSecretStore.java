package dev.ikr.aws;

import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.SecretParameterName;
import dev.ikr.port.SecretStore;
import java.util.Comparator;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterHistory;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Per-user encryption keys as SSM SecureString parameters. */
public final class SsmSecretStore implements SecretStore {

    /** How a parameter's description names the access key whose mail it decrypts. */
    static final String DESCRIPTION_PREFIX = "IKR: decrypts the mail that delivered access key ";

    private final SsmClient ssm;
    private final Optional<String> kmsKeyId;

    /** A store whose SecureStrings use the AWS managed {@code aws/ssm} key (and one that only reads or deletes). */
    public SsmSecretStore(SsmClient ssm) {
        this(ssm, Optional.empty());
    }

    /** A store whose SecureStrings use {@code kmsKeyId}, a customer managed key, when given. */
    public SsmSecretStore(SsmClient ssm, Optional<String> kmsKeyId) {
        this.ssm = ssm;
        this.kmsKeyId = kmsKeyId;
    }

    @Override
    public void putUserKey(String user, EncryptionKey key, String deliveredKeyId) {
        ssm.putParameter(request -> request
                .keyId(kmsKeyId.orElse(null))
                .name(SecretParameterName.forUser(user))
                .description(DESCRIPTION_PREFIX + deliveredKeyId + " to " + user)
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
    public UserKeyDeletion deleteUserKey(String user, Optional<String> deliveredKeyId) {
        String name = SecretParameterName.forUser(user);
        Optional<ParameterHistory> latest;
        try {
            // the history, not DescribeParameters: it can be granted on this parameter alone; values stay encrypted
            latest = ssm.getParameterHistoryPaginator(request -> request.name(name).withDecryption(false))
                    .stream().flatMap(page -> page.parameters().stream())
                    .max(Comparator.comparingLong(ParameterHistory::version));
        } catch (ParameterNotFoundException absent) {
            return UserKeyDeletion.ABSENT;
        }
        if (latest.isEmpty()) {
            return UserKeyDeletion.ABSENT;
        }
        Optional<String> noted = notedKeyId(latest.get().description());
        if (noted.isPresent() && !noted.equals(deliveredKeyId)) {
            return UserKeyDeletion.KEPT_FOR_ANOTHER_ROTATION;
        }
        try {
            ssm.deleteParameter(request -> request.name(name));
            return UserKeyDeletion.DELETED;
        } catch (ParameterNotFoundException alreadyGone) {
            return UserKeyDeletion.ABSENT;
        }
    }

    /** The access key id a parameter's description names; none in parameters written before IKR noted it. */
    static Optional<String> notedKeyId(String description) {
        if (description == null || !description.startsWith(DESCRIPTION_PREFIX)) {
            return Optional.empty();
        }
        String rest = description.substring(DESCRIPTION_PREFIX.length());
        int end = rest.indexOf(' ');
        return Optional.of(end < 0 ? rest : rest.substring(0, end)).filter(id -> !id.isBlank());
    }
}
