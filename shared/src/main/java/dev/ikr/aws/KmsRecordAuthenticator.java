package dev.ikr.aws;

import dev.ikr.crypto.RecordMac;
import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.RecordSeal;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.SecretParameterName;
import dev.ikr.log.JsonLog;
import dev.ikr.port.RecordAuthenticator;
import dev.ikr.util.Lazy;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Seals table items with HMAC-SHA256 under a data key of the record KMS key ({@code RECORD_KMS_KEY_ID}), the
 * envelope way: the data key is made once ({@code GenerateDataKey}) and kept, encrypted, in the SSM parameter
 * {@value #SIGNING_KEY_PARAMETER}; each item carries that encrypted key, which is decrypted once per cold start
 * and cached. So sealing and checking cost AWS calls per cold start (reading the parameter, one {@code Decrypt}),
 * never per item. {@code Decrypt} names the record key and the encryption context, so a data key made under any
 * other key, or for another purpose, is refused by KMS itself.
 */
public final class KmsRecordAuthenticator implements RecordAuthenticator {

    /** The SSM parameter that keeps the encrypted data key items are sealed with (a String: ciphertext only). */
    public static final String SIGNING_KEY_PARAMETER = SecretParameterName.RECORD_KEY;
    /** The KMS encryption context of the data key; the key policy can require it. */
    public static final Map<String, String> ENCRYPTION_CONTEXT = Map.of("purpose", "ikr-record-mac");

    private static final JsonLog LOG = JsonLog.forClass(KmsRecordAuthenticator.class);

    private record DataKey(String wrapped, byte[] plain) {
    }

    private final KmsClient kms;
    private final SsmClient ssm;
    private final String recordKeyArn;
    private final String scope;
    private final Lazy<DataKey> signingKey;
    private final Map<String, byte[]> unwrapped = new ConcurrentHashMap<>();

    /**
     * @param recordKeyArn the record key's ARN ({@code RECORD_KMS_KEY_ID})
     * @param tableName the table the items live in: part of what the MAC covers
     */
    public KmsRecordAuthenticator(KmsClient kms, SsmClient ssm, String recordKeyArn, String tableName) {
        this.kms = kms;
        this.ssm = ssm;
        this.recordKeyArn = recordKeyArn;
        this.scope = recordKeyArn + " " + tableName;
        this.signingKey = Lazy.of(this::loadOrCreateSigningKey);
    }

    @Override
    public RecordSeal seal(RotationRecord record) {
        return sealWith(key -> RecordMac.compute(key, scope, record));
    }

    @Override
    public Optional<String> whyNotAuthentic(RotationRecord record, Optional<RecordSeal> seal) {
        return check(seal, (key, mac) -> RecordMac.matches(key, scope, record, mac));
    }

    @Override
    public RecordSeal seal(KmsKeyRecord record) {
        return sealWith(key -> RecordMac.compute(key, scope, record));
    }

    @Override
    public Optional<String> whyNotAuthentic(KmsKeyRecord record, Optional<RecordSeal> seal) {
        return check(seal, (key, mac) -> RecordMac.matches(key, scope, record, mac));
    }

    private RecordSeal sealWith(Function<byte[], byte[]> macOf) {
        DataKey key = signingKey.get();
        return new RecordSeal(base64(macOf.apply(key.plain())), key.wrapped());
    }

    /** Why the seal does not prove the item; {@code matches} says whether a MAC is the item's under a data key. */
    private Optional<String> check(Optional<RecordSeal> seal, BiPredicate<byte[], byte[]> matches) {
        if (seal.isEmpty()) {
            return Optional.of("it carries no MAC (written by the original project, by hand, or by another tool)");
        }
        byte[] mac;
        byte[] wrapped;
        try {
            mac = Base64.getDecoder().decode(seal.get().mac());
            wrapped = Base64.getDecoder().decode(seal.get().wrappedKey());
        } catch (IllegalArgumentException notBase64) {
            return Optional.of("its MAC or MAC key is not base64");
        }
        Optional<byte[]> key = unwrap(seal.get().wrappedKey(), wrapped);
        if (key.isEmpty()) {
            return Optional.of("its MAC key was not made by the record KMS key " + recordKeyArn);
        }
        return matches.test(key.get(), mac) ? Optional.empty()
                : Optional.of("its MAC does not match its fields (changed since IKR wrote it, or copied from another"
                        + " item)");
    }

    private Optional<byte[]> unwrap(String cacheKey, byte[] wrapped) {
        byte[] cached = unwrapped.get(cacheKey);
        if (cached != null) {
            return Optional.of(cached);
        }
        DecryptResponse response;
        try {
            response = kms.decrypt(request -> request.keyId(recordKeyArn).encryptionContext(ENCRYPTION_CONTEXT)
                    .ciphertextBlob(SdkBytes.fromByteArray(wrapped)));
        } catch (InvalidCiphertextException | IncorrectKeyException notOurs) {
            return Optional.empty();
        }
        byte[] plain = response.plaintext().asByteArray();
        if (!recordKeyArn.equals(response.keyId()) || plain.length != RecordMac.KEY_BYTES) {
            return Optional.empty();
        }
        unwrapped.put(cacheKey, plain);
        return Optional.of(plain);
    }

    /** The data key items are sealed with: the one kept in SSM, or a new one kept there for every later run. */
    private DataKey loadOrCreateSigningKey() {
        Optional<String> stored = storedSigningKey();
        if (stored.isEmpty()) {
            GenerateDataKeyResponse generated = kms.generateDataKey(request -> request.keyId(recordKeyArn)
                    .keySpec(DataKeySpec.AES_256).encryptionContext(ENCRYPTION_CONTEXT));
            String wrapped = base64(generated.ciphertextBlob().asByteArray());
            try {
                ssm.putParameter(request -> request.name(SIGNING_KEY_PARAMETER).type(ParameterType.STRING)
                        .value(wrapped).overwrite(false)
                        .description("IKR's table-item MAC key, encrypted by the record KMS key: do not change"));
                LOG.info("record MAC key created", Map.of("parameter", SIGNING_KEY_PARAMETER));
                byte[] plain = generated.plaintext().asByteArray();
                unwrapped.put(wrapped, plain);
                return new DataKey(wrapped, plain);
            } catch (ParameterAlreadyExistsException concurrent) {
                stored = storedSigningKey();
            }
        }
        String wrapped = stored.orElseThrow(() -> new IllegalStateException("the SSM parameter "
                + SIGNING_KEY_PARAMETER + " was deleted while IKR created it"));
        byte[] plain;
        try {
            plain = unwrap(wrapped, Base64.getDecoder().decode(wrapped)).orElse(null);
        } catch (IllegalArgumentException notBase64) {
            plain = null;
        }
        if (plain == null) {
            throw new IllegalStateException("the SSM parameter " + SIGNING_KEY_PARAMETER + " does not hold a data key"
                    + " of the record KMS key " + recordKeyArn + ": nothing is written until it does (delete the"
                    + " parameter to let IKR make a new key; items sealed with the old one stay verifiable)");
        }
        return new DataKey(wrapped, plain);
    }

    private Optional<String> storedSigningKey() {
        try {
            return Optional.of(ssm.getParameter(request -> request.name(SIGNING_KEY_PARAMETER)).parameter().value());
        } catch (ParameterNotFoundException absent) {
            return Optional.empty();
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
