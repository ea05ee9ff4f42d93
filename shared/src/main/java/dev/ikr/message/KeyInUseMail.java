package dev.ikr.message;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.KeyUse;
import java.time.Instant;
import java.util.Optional;

/**
 * The mail that tells the owner an old key is still in use, so its deactivation or deletion was postponed.
 *
 * @param step what was postponed: {@code deactivation} or {@code deletion}
 * @param use the key's last use, after its replacement was delivered
 * @param postponedTo the step's new date
 * @param deleteOn when the key is deleted, after this postponement
 * @param postponementsLeft how many more times the step can be postponed; at none it goes ahead (or waits for a person)
 */
public record KeyInUseMail(EmailAddress to, MailAccount account, String user, String oldKeyId,
        Optional<String> newKeyId, String step, KeyUse use, Instant postponedTo, Instant deleteOn,
        int postponementsLeft) implements Mail {

    public KeyInUseMail {
        NewKeyMail.requireKeyMail(to, account, user, oldKeyId);
        NewKeyMail.requireText(step, "step");
        newKeyId = newKeyId == null ? Optional.empty() : newKeyId;
        if (use == null || postponedTo == null || deleteOn == null || postponementsLeft < 0) {
            throw new IllegalArgumentException("an in-use mail needs the use, both dates and a count of at least 0");
        }
    }
}
