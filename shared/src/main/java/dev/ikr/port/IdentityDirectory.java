package dev.ikr.port;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.CredentialReport;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyUse;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The IAM users, their tags and their access keys. */
public interface IdentityDirectory {

    /** Hands every IAM user with its tags to {@code consumer}, a page at a time. */
    void forEachUser(Consumer<IamUser> consumer);

    /** The user with its tags, as IAM has it now; empty if the user no longer exists. */
    Optional<IamUser> user(String name);

    /** The user's access keys, oldest first; none if the user no longer exists. */
    List<AccessKey> accessKeys(String user);

    IssuedAccessKey createAccessKey(String user);

    /** Deletes the key; a user or key that is already gone counts as deleted. */
    KeyDeletion deleteAccessKey(String user, String keyId);

    /** Sets the key {@code Inactive}: it stops working and can be re-activated until it is deleted. */
    void deactivateAccessKey(String user, String keyId);

    /** When the key was last used, with the service and region; empty if IAM has no record of a use. */
    Optional<KeyUse> lastUse(String keyId);

    /** The account's alias, if it has one. */
    Optional<String> accountAlias();

    /**
     * The account's credential report: every user's keys with their creation times, possibly a few hours old. Never
     * throws: when the report cannot be had (no permission, not ready in a few seconds, unreadable) the result says
     * why, and the caller lists keys instead. A directory without such a report (the destructor needs none) keeps
     * this default.
     */
    default CredentialReport credentialReport() {
        return new CredentialReport.Unavailable("this identity directory offers no credential report");
    }

    enum KeyDeletion {
        DELETED,
        ALREADY_GONE
    }
}
