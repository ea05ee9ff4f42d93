package dev.ikr.aws;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyStatus;
import dev.ikr.port.IdentityDirectory;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.UserDetail;

/** IAM over SDK v2: users with their tags in pages of up to 1000, keys per user. */
public final class IamDirectory implements IdentityDirectory {

    private static final int USERS_PER_PAGE = 1000;

    private final IamClient iam;

    public IamDirectory(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public void forEachUser(Consumer<IamUser> consumer) {
        iam.getAccountAuthorizationDetailsPaginator(request -> request
                        .filter(EntityType.USER)
                        .maxItems(USERS_PER_PAGE))
                .forEach(page -> page.userDetailList().forEach(user -> consumer.accept(toUser(user))));
    }

    @Override
    public List<AccessKey> accessKeys(String user) {
        try {
            return iam.listAccessKeysPaginator(request -> request.userName(user))
                    .accessKeyMetadata()
                    .stream()
                    .map(IamDirectory::toAccessKey)
                    .sorted(Comparator.comparing(AccessKey::createdAt))
                    .toList();
        } catch (NoSuchEntityException userGone) {
            return List.of();
        }
    }

    @Override
    public IssuedAccessKey createAccessKey(String user) {
        var created = iam.createAccessKey(request -> request.userName(user)).accessKey();
        return new IssuedAccessKey(created.accessKeyId(), created.secretAccessKey());
    }

    @Override
    public KeyDeletion deleteAccessKey(String user, String keyId) {
        try {
            iam.deleteAccessKey(request -> request.userName(user).accessKeyId(keyId));
            return KeyDeletion.DELETED;
        } catch (NoSuchEntityException gone) {
            return KeyDeletion.ALREADY_GONE;
        }
    }

    @Override
    public Optional<String> accountAlias() {
        return iam.listAccountAliases().accountAliases().stream().findFirst();
    }

    private static IamUser toUser(UserDetail detail) {
        var tags = new LinkedHashMap<String, String>();
        for (Tag tag : detail.tags()) {
            tags.put(tag.key(), tag.value());
        }
        return new IamUser(detail.userName(), tags);
    }

    private static AccessKey toAccessKey(AccessKeyMetadata metadata) {
        KeyStatus status = metadata.status() == StatusType.ACTIVE ? KeyStatus.ACTIVE : KeyStatus.INACTIVE;
        return new AccessKey(metadata.accessKeyId(), status, metadata.createDate());
    }
}
