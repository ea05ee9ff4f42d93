package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.KeyUse;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The mail that tells the owner an old key was deactivated, how to re-activate it until it is deleted, and when.
 *
 * @param newKeyId the key mailed to replace it, when the record knows it
 * @param deleteOn when IKR deletes the key, re-activated or not
 * @param usedDespite a use of the key after its replacement was delivered, when it was deactivated all the same
 */
public record KeyDeactivatedMail(EmailAddress to, MailAccount account, String user, String oldKeyId,
        Optional<String> newKeyId, Instant deleteOn, Optional<KeyUse> usedDespite) implements Mail {

    public KeyDeactivatedMail {
        NewKeyMail.requireKeyMail(to, account, user, oldKeyId);
        newKeyId = newKeyId == null ? Optional.empty() : newKeyId;
        Objects.requireNonNull(deleteOn, "deleteOn");
        usedDespite = usedDespite == null ? Optional.empty() : usedDespite;
    }

    /** The AWS CLI command that re-activates the key until it is deleted. */
    public String reactivateCommand() {
        return "aws iam update-access-key --user-name " + user + " --access-key-id " + oldKeyId + " --status Active";
    }
}
