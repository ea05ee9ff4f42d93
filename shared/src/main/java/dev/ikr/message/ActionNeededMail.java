package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The mail that asks the owner to finish what IKR would not or could not do.
 *
 * @param keyKept whether the old key still exists (else it was deleted and only its clean-up is left)
 * @param secretParameter the user's SSM decryption key, which a person deletes when the key is gone
 */
public record ActionNeededMail(EmailAddress to, MailAccount account, String user, String oldKeyId,
        Optional<String> newKeyId, String reason, boolean keyKept, String secretParameter) implements Mail {

    public ActionNeededMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(account, "account");
        NewKeyMail.requireText(user, "user");
        NewKeyMail.requireText(oldKeyId, "oldKeyId");
        newKeyId = newKeyId == null ? Optional.empty() : newKeyId;
        NewKeyMail.requireText(reason, "reason");
        NewKeyMail.requireText(secretParameter, "secretParameter");
    }
}
