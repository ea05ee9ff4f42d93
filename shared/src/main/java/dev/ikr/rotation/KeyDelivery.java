package dev.ikr.rotation;

import dev.ikr.crypto.Fernet;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.SecretParameterName;
import dev.ikr.domain.UserSettings;
import dev.ikr.message.AddressChangedMail;
import dev.ikr.message.MailAccount;
import dev.ikr.message.MessageRenderer;
import dev.ikr.message.NewKeyMail;
import dev.ikr.port.Mailer;
import dev.ikr.port.SecretStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Hands a new key to its owner: in clear, or encrypted with a fresh per-user key that is stored first (SSM
 * {@code /ikr/secret/iam/<user>}), in the new-key mail. Throws when the key was not surely delivered.
 */
final class KeyDelivery {

    private final SecretStore secretStore;
    private final Mailer mailer;
    private final MessageRenderer renderer;
    private final boolean encryptKeyPair;
    private final SecureRandom random;
    private final Fernet fernet;

    KeyDelivery(SecretStore secretStore, Mailer mailer, MessageRenderer renderer, boolean encryptKeyPair, Clock clock,
            SecureRandom random) {
        this.secretStore = secretStore;
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
     */
    void deliver(String user, UserSettings settings, String oldKeyId, IssuedAccessKey newKey,
            Optional<Instant> deactivateOn, Instant deleteOn, Optional<String> replacedKeyId, MailAccount account) {
        mailer.send(renderer.render(new NewKeyMail(settings.email(), account, user, newKey.id(), oldKeyId, deleteOn,
                replacedKeyId, settings.instructions(), keyPart(user, newKey), deactivateOn)));
    }

    /** Tells {@code previous} that the user's keys now go to {@code settings}' address (after the new key went). */
    void announceAddressChange(String user, EmailAddress previous, UserSettings settings, String newKeyId,
            MailAccount account) {
        mailer.send(renderer.render(new AddressChangedMail(previous, account, user, settings.email(), newKeyId)));
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
