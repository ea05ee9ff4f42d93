package dev.ikr.rotation;

import static dev.ikr.util.Failures.describe;

import dev.ikr.crypto.Fernet;
import dev.ikr.domain.DeliveryTarget;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyHandover;
import dev.ikr.domain.SecretParameterName;
import dev.ikr.domain.UserSettings;
import dev.ikr.log.JsonLog;
import dev.ikr.message.AddressChangedMail;
import dev.ikr.message.KeyDeliveredMail;
import dev.ikr.message.MailAccount;
import dev.ikr.message.MessageRenderer;
import dev.ikr.message.NewKeyMail;
import dev.ikr.port.KeyTargets;
import dev.ikr.port.Mailer;
import dev.ikr.port.SecretStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Hands a new key to its owner: in clear, or encrypted with a fresh per-user key that is stored first (SSM
 * {@code /ikr/secret/iam/<user>}), in the new-key mail; or, when the user's {@code IKR:DELIVER_TO} names a target,
 * to that target, and then a mail tells the owner where it went (without the key). Throws when the key was not
 * surely delivered.
 */
final class KeyDelivery {

    private static final JsonLog LOG = JsonLog.forClass(KeyDelivery.class);

    private final SecretStore secretStore;
    private final KeyTargets targets;
    private final Mailer mailer;
    private final MessageRenderer renderer;
    private final boolean encryptKeyPair;
    private final SecureRandom random;
    private final Fernet fernet;

    KeyDelivery(SecretStore secretStore, KeyTargets targets, Mailer mailer, MessageRenderer renderer,
            boolean encryptKeyPair, Clock clock, SecureRandom random) {
        this.secretStore = secretStore;
        this.targets = targets;
        this.mailer = mailer;
        this.renderer = renderer;
        this.encryptKeyPair = encryptKeyPair;
        this.random = random;
        this.fernet = new Fernet(clock, random);
    }

    /**
     * Delivers {@code newKey}, which replaces {@code oldKeyId}: the old key is deactivated at {@code deactivateOn},
     * if given, and deleted at {@code deleteOn}.
     *
     * @param replacedKeyId an undelivered key of an interrupted run, deleted just before: the mail says so
     * @return where the key went, for the outcome: the owner's address, or the target and whether its owner was told
     */
    String deliver(String user, UserSettings settings, String oldKeyId, IssuedAccessKey newKey,
            Optional<Instant> deactivateOn, Instant deleteOn, Optional<String> replacedKeyId, MailAccount account) {
        if (settings.deliverTo().isEmpty()) {
            mailer.send(renderer.render(new NewKeyMail(settings.email(), account, user, newKey.id(), oldKeyId,
                    deleteOn, replacedKeyId, settings.instructions(), keyPart(user, newKey), deactivateOn)));
            return "new key mailed to " + settings.email();
        }
        DeliveryTarget target = settings.deliverTo().get();
        targets.deliver(target, new KeyHandover(user, newKey, oldKeyId, deleteOn));
        return "new key delivered to " + target.label() + tellOwner(user, settings, target, new KeyDeliveredMail(
                settings.email(), account, user, target, newKey.id(), oldKeyId, deleteOn, replacedKeyId,
                settings.instructions(), deactivateOn));
    }

    /**
     * The owner's mail after the target took the key. Its failure is reported, not thrown: the target holds a key
     * that works, and withdrawing it now would break whatever reads the target.
     */
    private String tellOwner(String user, UserSettings settings, DeliveryTarget target, KeyDeliveredMail mail) {
        try {
            mailer.send(renderer.render(mail));
            return "; its owner " + settings.email() + " was told";
        } catch (RuntimeException e) {
            LOG.error("owner not told of the delivery", Map.of("user", user, "keyId", mail.newKeyId(),
                    "target", target.label(), "reason", describe(e)));
            return "; telling its owner " + settings.email() + " failed (" + describe(e) + "), but the key stands:"
                    + " the target holds it";
        }
    }

    /** Tells {@code previous} that the user's keys now go to {@code settings}' address (after the new key went). */
    void announceAddressChange(String user, EmailAddress previous, UserSettings settings, String newKeyId,
            MailAccount account) {
        mailer.send(renderer.render(new AddressChangedMail(previous, account, user, settings.email(), newKeyId,
                settings.deliverTo())));
    }

    private NewKeyMail.KeyPart keyPart(String user, IssuedAccessKey newKey) {
        if (!encryptKeyPair) {
            return new NewKeyMail.Plain(newKey.secret());
        }
        EncryptionKey key = EncryptionKey.generate(random);
        secretStore.putUserKey(user, key, newKey.id());
        String encryptedAccessKey = fernet.encrypt(key, newKey.id());
        String encryptedSecretKey = fernet.encrypt(key, newKey.secret());
        return new NewKeyMail.Encrypted(encryptedAccessKey, encryptedSecretKey, SecretParameterName.forUser(user),
                Optional.of("scripts/ikr decrypt --user " + user + " --access-key " + encryptedAccessKey
                        + " --secret-key " + encryptedSecretKey));
    }
}
