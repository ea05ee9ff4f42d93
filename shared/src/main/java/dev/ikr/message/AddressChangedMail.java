package dev.ikr.message;

import dev.ikr.domain.DeliveryTarget;
import dev.ikr.domain.EmailAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The notice to the address a user's keys used to go to, sent in the run that mailed a new key elsewhere because
 * the user's {@code IKR:EMAIL} tag changed: whoever changed the tag is not the only one to know.
 *
 * @param to the previous address
 * @param newAddress where the new key went, or, with a delivery target, the notice of it
 * @param newKeyId the key mailed there
 * @param deliveredTo the user's {@code IKR:DELIVER_TO} target, which received the key itself
 */
public record AddressChangedMail(EmailAddress to, MailAccount account, String user, EmailAddress newAddress,
        String newKeyId, Optional<DeliveryTarget> deliveredTo) implements Mail {

    public AddressChangedMail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(account, "account");
        NewKeyMail.requireText(user, "user");
        Objects.requireNonNull(newAddress, "newAddress");
        NewKeyMail.requireText(newKeyId, "newKeyId");
        deliveredTo = deliveredTo == null ? Optional.empty() : deliveredTo;
    }
}
