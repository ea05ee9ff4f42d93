package dev.ikr.cli.rotateself;

import dev.ikr.domain.AccessKey;
import java.util.List;
import java.util.Optional;

/** IAM and STS, signed with a chosen key: the only rights {@code rotate-self} has are the user's own. */
public interface KeySessions {

    KeySession signedWith(KeyPair key);

    /** The calls {@code rotate-self} makes, each signed with the session's key. */
    interface KeySession {

        /** STS {@code GetCallerIdentity}: the caller's ARN; empty when AWS does not accept the key (yet). */
        Optional<String> callerArn();

        /** The user's keys, oldest first. */
        List<AccessKey> accessKeys(String user);

        NewKey createAccessKey(String user);

        void deactivateAccessKey(String user, String keyId);

        /** Deletes the key; one that is already gone counts as deleted. */
        void deleteAccessKey(String user, String keyId);
    }
}
