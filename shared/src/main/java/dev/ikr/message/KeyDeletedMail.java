package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The mail that tells the owner an old key was deleted.
 *
 * @param newKeyId the key mailed to replace it, when the record knows it
 * @param deletedParameter the SSM decryption key deleted with it, when there was one
 */
public record KeyDeletedMail(EmailAddress to, MailAccount account, String user, String oldKeyId,
        Optional<String> newKeyId, Optional<String> deletedParameter) implements Mail {

    public KeyDeletedMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(account, "account");
        NewKeyMail.requireText(user, "user");
        NewKeyMail.requireText(oldKeyId, "oldKeyId");
        newKeyId = newKeyId == null ? Optional.empty() : newKeyId;
        deletedParameter = deletedParameter == null ? Optional.empty() : deletedParameter;
    }
}
