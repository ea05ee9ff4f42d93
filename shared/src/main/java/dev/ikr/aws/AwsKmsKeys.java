package dev.ikr.aws;

import dev.ikr.domain.KmsKey;
import dev.ikr.domain.KmsKeyCopy;
import dev.ikr.port.KmsKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * The account's KMS keys over the SDK's KMS client. Listing costs {@code ListKeys} and {@code ListAliases} (paged),
 * then one {@code DescribeKey} per key and one {@code ListResourceTags} per customer managed key (an AWS managed key
 * cannot be tagged).
 */
public final class AwsKmsKeys implements KmsKeys {

    /** The only key policy name KMS has. */
    static final String POLICY_NAME = "default";
    private static final int PEM_LINE = 64;
    private static final String UNKNOWN = "UNKNOWN";

    private final KmsClient kms;

    public AwsKmsKeys(KmsClient kms) {
        this.kms = kms;
    }

    @Override
    public List<KmsKey> all() {
        Map<String, List<String>> aliasesByKey = new HashMap<>();
        for (AliasListEntry alias : kms.listAliasesPaginator(request -> { }).aliases()) {
            if (alias.targetKeyId() != null) {
                aliasesByKey.computeIfAbsent(alias.targetKeyId(), key -> new ArrayList<>()).add(alias.aliasName());
            }
        }
        List<KmsKey> keys = new ArrayList<>();
        for (KeyListEntry entry : kms.listKeysPaginator(request -> { }).keys()) {
            describe(entry.keyId(), aliasesByKey.getOrDefault(entry.keyId(), List.of())).ifPresent(keys::add);
        }
        return keys;
    }

    @Override
    public Optional<KmsKey> find(String keyId) {
        try {
            return describe(keyId, aliasesOf(keyId));
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> aliasesOf(String keyId) {
        return kms.listAliasesPaginator(request -> request.keyId(keyId)).aliases().stream()
                .map(AliasListEntry::aliasName).toList();
    }

    /** The key with its tags; empty when it is gone (deleted between the listing and now). */
    private Optional<KmsKey> describe(String keyId, List<String> aliases) {
        KeyMetadata metadata;
        try {
            metadata = kms.describeKey(request -> request.keyId(keyId)).keyMetadata();
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
        boolean awsManaged = metadata.keyManager() == KeyManagerType.AWS;
        Map<String, String> tags = new TreeMap<>();
        if (!awsManaged) {
            kms.listResourceTagsPaginator(request -> request.keyId(metadata.keyId())).tags()
                    .forEach(tag -> tags.put(tag.tagKey(), tag.tagValue()));
        }
        return Optional.of(new KmsKey(metadata.keyId(), metadata.arn(), known(metadata.keySpecAsString()),
                known(metadata.keyUsageAsString()), known(metadata.originAsString()), awsManaged,
                known(metadata.keyStateAsString()),
                Boolean.TRUE.equals(metadata.multiRegion()), Optional.ofNullable(metadata.customKeyStoreId()),
                metadata.creationDate(), metadata.description(), aliases, tags,
                Optional.ofNullable(metadata.deletionDate())));
    }

    /** A property KMS left out (an emulator may) reads as {@value #UNKNOWN}: a value IKR never rotates. */
    private static String known(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }

    @Override
    public String keyPolicy(String keyId) {
        return kms.getKeyPolicy(request -> request.keyId(keyId).policyName(POLICY_NAME)).policy();
    }

    @Override
    public KmsKey create(KmsKeyCopy copy) {
        List<Tag> tags = copy.tags().entrySet().stream()
                .map(tag -> Tag.builder().tagKey(tag.getKey()).tagValue(tag.getValue()).build()).toList();
        KeyMetadata created = kms.createKey(request -> request.keySpec(copy.keySpec()).keyUsage(copy.keyUsage())
                .description(copy.description()).policy(copy.keyPolicy()).tags(tags)
                .bypassPolicyLockoutSafetyCheck(false)).keyMetadata();
        return new KmsKey(created.keyId(), created.arn(), known(created.keySpecAsString()),
                known(created.keyUsageAsString()), known(created.originAsString()), false,
                known(created.keyStateAsString()), Boolean.TRUE.equals(created.multiRegion()),
                Optional.ofNullable(created.customKeyStoreId()), created.creationDate(), created.description(),
                List.of(), copy.tags(), Optional.empty());
    }

    @Override
    public void pointAlias(String alias, String keyId) {
        kms.updateAlias(request -> request.aliasName(alias).targetKeyId(keyId));
    }

    @Override
    public String publicKeyPem(String keyId) {
        byte[] der = kms.getPublicKey(request -> request.keyId(keyId)).publicKey().asByteArray();
        String base64 = Base64.getEncoder().encodeToString(der);
        var pem = new StringBuilder("-----BEGIN PUBLIC KEY-----\n");
        for (int start = 0; start < base64.length(); start += PEM_LINE) {
            pem.append(base64, start, Math.min(base64.length(), start + PEM_LINE)).append('\n');
        }
        return pem.append("-----END PUBLIC KEY-----").toString();
    }

    @Override
    public void disable(String keyId) {
        kms.disableKey(request -> request.keyId(keyId));
    }

    @Override
    public Instant scheduleDeletion(String keyId, int pendingWindowDays) {
        try {
            return kms.scheduleKeyDeletion(request -> request.keyId(keyId).pendingWindowInDays(pendingWindowDays))
                    .deletionDate();
        } catch (KmsInvalidStateException alreadyPending) {
            // a retried call whose first attempt scheduled it: the date KMS set then stands
            KeyMetadata metadata = kms.describeKey(request -> request.keyId(keyId)).keyMetadata();
            if (metadata.deletionDate() == null) {
                throw alreadyPending;
            }
            return metadata.deletionDate();
        }
    }

    @Override
    public boolean enableAutomaticRotation(String keyId) {
        if (Boolean.TRUE.equals(kms.getKeyRotationStatus(request -> request.keyId(keyId)).keyRotationEnabled())) {
            return false;
        }
        kms.enableKeyRotation(request -> request.keyId(keyId));
        return true;
    }
}
