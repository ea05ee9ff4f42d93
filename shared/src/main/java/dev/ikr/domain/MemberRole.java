package dev.ikr.domain;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The role IKR assumes in each account it rotates outside its own ({@code MEMBER_ROLE_NAME},
 * {@code MEMBER_EXTERNAL_ID}): the same name in every account, and the external id its trust policy may require.
 *
 * @param name the role's name, without a path (IAM: 1 to 64 of {@code A-Za-z0-9+=,.@_-})
 * @param externalId STS's {@code ExternalId} (2 to 1224 of {@code A-Za-z0-9+=,.@:/_-}), if the trust policy asks for
 *     one
 */
public record MemberRole(String name, Optional<String> externalId) {

    public static final String DEFAULT_NAME = "ikr-member";
    /** The session names the member accounts' CloudTrail shows for each function. */
    public static final String ROTATOR_SESSION = "ikr-rotator";
    public static final String DESTRUCTOR_SESSION = "ikr-destructor";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9+=,.@:/_-]{2,1224}");

    public MemberRole {
        Objects.requireNonNull(name, "name");
        externalId = externalId == null ? Optional.empty() : externalId;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a role name is 1 to 64 of A-Za-z0-9+=,.@_-");
        }
        if (externalId.isPresent() && !EXTERNAL_ID.matcher(externalId.get()).matches()) {
            throw new IllegalArgumentException("an external id is 2 to 1224 of A-Za-z0-9+=,.@:/_-");
        }
    }

    public static final MemberRole DEFAULT = new MemberRole(DEFAULT_NAME, Optional.empty());

    /** The role's ARN in {@code account}, in the partition ({@code aws}, {@code aws-cn}, ...). */
    public String arn(String partition, String account) {
        if (!AccountSelection.isAccountId(account)) {
            throw new IllegalArgumentException("an account id has 12 digits");
        }
        return "arn:" + partition + ":iam::" + account + ":role/" + name;
    }

    /**
     * Reads the two variables.
     *
     * @throws IllegalArgumentException one sentence naming the variable that is wrong
     */
    public static MemberRole parse(Optional<String> name, Optional<String> externalId, String nameVariable,
            String externalIdVariable) {
        String roleName = name.orElse(DEFAULT_NAME);
        if (!NAME.matcher(roleName).matches()) {
            throw new IllegalArgumentException(nameVariable + " must be an IAM role name without a path: 1 to 64 of"
                    + " A-Za-z0-9+=,.@_-, not '" + roleName + "'");
        }
        if (externalId.isPresent() && !EXTERNAL_ID.matcher(externalId.get()).matches()) {
            throw new IllegalArgumentException(externalIdVariable + " must be 2 to 1224 of A-Za-z0-9+=,.@:/_- (STS's"
                    + " ExternalId)");
        }
        return new MemberRole(roleName, externalId);
    }
}
