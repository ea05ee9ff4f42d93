package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.KeyUse;
import java.util.Objects;
import java.util.Optional;

/**
 * The mail that tells the owner an old key was deleted.
 *
 * @param newKeyId the key mailed to replace it, when the record knows it
 * @param deletedParameter the SSM decryption key deleted with it, when there was one
 * @param usedDespite a use of the key since its replacement was delivered (or since the last check), when it was
 *     deleted all the same
 */
public record KeyDeletedMail(EmailAddress to, MailAccount account, String user, String oldKeyId,
        Optional<String> newKeyId, Optional<String> deletedParameter, Optional<KeyUse> usedDespite) implements Mail {

    /** A key that was not seen in use. */
    public KeyDeletedMail(EmailAddress to, MailAccount account, String user, String oldKeyId,
            Optional<String> newKeyId, Optional<String> deletedParameter) {
        this(to, account, user, oldKeyId, newKeyId, deletedParameter, Optional.empty());
    }

    public KeyDeletedMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(account, "account");
        NewKeyMail.requireText(user, "user");
        NewKeyMail.requireText(oldKeyId, "oldKeyId");
        newKeyId = newKeyId == null ? Optional.empty() : newKeyId;
        deletedParameter = deletedParameter == null ? Optional.empty() : deletedParameter;
        usedDespite = usedDespite == null ? Optional.empty() : usedDespite;
    }
}
