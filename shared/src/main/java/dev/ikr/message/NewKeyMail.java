package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The mail that delivers a new key, in clear or encrypted.
 *
 * @param replacedKeyId the undelivered key of an interrupted run that this mail replaces (it was deleted)
 * @param instructions the user's own lines, from the {@code IKR:INSTRUCTION_*} tags, in order
 * @param deactivateOn in two stages: when the old key is deactivated, before its deletion at {@code deleteOn}
 */
public record NewKeyMail(EmailAddress to, MailAccount account, String user, String newKeyId, String oldKeyId,
        Instant deleteOn, Optional<String> replacedKeyId, List<String> instructions, KeyPart key,
        Optional<Instant> deactivateOn) implements Mail {

    /** A single stage: the old key works until it is deleted. */
    public NewKeyMail(EmailAddress to, MailAccount account, String user, String newKeyId, String oldKeyId,
            Instant deleteOn, Optional<String> replacedKeyId, List<String> instructions, KeyPart key) {
        this(to, account, user, newKeyId, oldKeyId, deleteOn, replacedKeyId, instructions, key, Optional.empty());
    }

    /** How the key travels in the mail. */
    public sealed interface KeyPart permits Plain, Encrypted {
    }

    /** The secret access key itself; {@code toString()} never shows it. */
    public record Plain(String secretAccessKey) implements KeyPart {

        public Plain {
            requireText(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "Plain[secretAccessKey=<redacted>]";
        }
    }

    /**
     * Fernet tokens of the key id and the secret, decrypted with the per-user key stored at {@code secretParameter}.
     *
     * @param decryptCommand the {@code scripts/ikr decrypt} command line to paste, when one can be offered
     */
    public record Encrypted(String encryptedAccessKey, String encryptedSecretKey, String secretParameter,
            Optional<String> decryptCommand) implements KeyPart {

        public Encrypted {
            requireText(encryptedAccessKey, "encryptedAccessKey");
            requireText(encryptedSecretKey, "encryptedSecretKey");
            requireText(secretParameter, "secretParameter");
            decryptCommand = decryptCommand == null ? Optional.empty() : decryptCommand;
        }
    }

    public NewKeyMail {
        requireNewKey(to, account, user, newKeyId, oldKeyId, deleteOn);
        replacedKeyId = replacedKeyId == null ? Optional.empty() : replacedKeyId;
        instructions = instructions == null ? List.of() : List.copyOf(instructions);
        Objects.requireNonNull(key, "key");
        deactivateOn = deactivateOn == null ? Optional.empty() : deactivateOn;
    }

    /** What every mail about a new key names: its owner, account and user, both keys and the old key's date. */
    static void requireNewKey(EmailAddress to, MailAccount account, String user, String newKeyId, String oldKeyId,
            Instant deleteOn) {
        requireKeyMail(to, account, user, oldKeyId);
        requireText(newKeyId, "newKeyId");
        Objects.requireNonNull(deleteOn, "deleteOn");
    }

    /** The parts every mail about one of a user's keys has: whom it goes to, the account, the user and the key. */
    static void requireKeyMail(EmailAddress to, MailAccount account, String user, String keyId) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(account, "account");
        requireText(user, "user");
        requireText(keyId, "oldKeyId");
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a mail needs a value for " + name);
        }
    }
}
