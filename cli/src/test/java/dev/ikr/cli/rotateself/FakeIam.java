package dev.ikr.cli.rotateself;

import dev.ikr.domain.AccessKey;
import dev.ikr.domain.KeyStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** IAM and STS in memory, for one account: users, their keys, and a log of each call with the key that signed it. */
final class FakeIam implements KeySessions {

    static final String ACCOUNT = "123456789012";

    /** A key as IAM holds it. */
    record Key(String user, KeyPair pair, KeyStatus status, Instant createdAt) {
    }

    final Map<String, Key> keys = new LinkedHashMap<>();
    /** Each call: {@code "<operation> <argument> by <signing key id>"}. */
    final List<String> calls = new ArrayList<>();
    /** How many times STS rejects each new key before accepting it. */
    int rejectionsOfNewKeys;
    /** The ARN STS gives for a key of these users instead of theirs (root, a role...). */
    final Map<String, String> arnOverrides = new LinkedHashMap<>();
    RuntimeException failCreate;
    RuntimeException failDeactivate;
    RuntimeException failDelete;
    private final Map<String, Integer> rejectionsLeft = new LinkedHashMap<>();
    private int created;

    KeyPair addKey(String user, KeyStatus status) {
        created++;
        var pair = new KeyPair("AKIAOLD" + created, "old-secret-" + created);
        Instant createdAt = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(created);
        keys.put(pair.accessKeyId(), new Key(user, pair, status, createdAt));
        return pair;
    }

    List<String> keyIds(String user) {
        return keys.values().stream().filter(key -> key.user().equals(user)).map(key -> key.pair().accessKeyId())
                .toList();
    }

    KeyStatus status(String keyId) {
        return keys.get(keyId).status();
    }

    static String arnOf(String user) {
        return "arn:aws:iam::" + ACCOUNT + ":user/team/" + user;
    }

    @Override
    public KeySession signedWith(KeyPair signer) {
        return new KeySession() {
            @Override
            public Optional<String> callerArn() {
                calls.add("GetCallerIdentity by " + signer.accessKeyId());
                Key key = keys.get(signer.accessKeyId());
                if (key == null || key.status() != KeyStatus.ACTIVE
                        || !key.pair().secretAccessKey().equals(signer.secretAccessKey())) {
                    return Optional.empty();
                }
                int left = rejectionsLeft.getOrDefault(signer.accessKeyId(), 0);
                if (left > 0) {
                    rejectionsLeft.put(signer.accessKeyId(), left - 1);
                    return Optional.empty();
                }
                return Optional.of(arnOverrides.getOrDefault(key.user(), arnOf(key.user())));
            }

            @Override
            public List<AccessKey> accessKeys(String user) {
                authorise("ListAccessKeys " + user);
                return keys.values().stream().filter(key -> key.user().equals(user))
                        .map(key -> new AccessKey(key.pair().accessKeyId(), key.status(), key.createdAt())).toList();
            }

            @Override
            public NewKey createAccessKey(String user) {
                authorise("CreateAccessKey " + user);
                if (failCreate != null) {
                    throw failCreate;
                }
                created++;
                var pair = new KeyPair("AKIANEW" + created, "new-secret-" + created);
                Instant now = Instant.parse("2026-06-01T00:00:00Z");
                keys.put(pair.accessKeyId(), new Key(user, pair, KeyStatus.ACTIVE, now));
                rejectionsLeft.put(pair.accessKeyId(), rejectionsOfNewKeys);
                return new NewKey(user, pair, now);
            }

            @Override
            public void deactivateAccessKey(String user, String keyId) {
                authorise("UpdateAccessKey " + keyId);
                if (failDeactivate != null) {
                    throw failDeactivate;
                }
                Key key = keys.get(keyId);
                keys.put(keyId, new Key(key.user(), key.pair(), KeyStatus.INACTIVE, key.createdAt()));
            }

            @Override
            public void deleteAccessKey(String user, String keyId) {
                authorise("DeleteAccessKey " + keyId);
                if (failDelete != null) {
                    throw failDelete;
                }
                keys.remove(keyId);
            }

            /** Records the call; a key that IAM would not accept fails it, as AWS does. */
            private void authorise(String call) {
                calls.add(call + " by " + signer.accessKeyId());
                Key key = keys.get(signer.accessKeyId());
                if (key == null || key.status() != KeyStatus.ACTIVE) {
                    throw new IllegalStateException("InvalidClientTokenId: " + signer.accessKeyId());
                }
            }
        };
    }
}
