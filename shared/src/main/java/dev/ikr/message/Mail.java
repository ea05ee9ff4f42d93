package dev.ikr.message;

import dev.ikr.domain.EmailAddress;

/**
 * A mail IKR sends, with every value its template needs: a missing value is a compile error, not a
 * failure at send time. {@link MessageRenderer#render(Mail)} turns it into the text and HTML parts.
 */
public sealed interface Mail permits NewKeyMail, KeyDeliveredMail, KeyDeletedMail, ActionNeededMail,
        UnverifiedRecordsMail, AddressChangedMail, KeyDeactivatedMail, KeyInUseMail, KmsKeyRotatedMail,
        KmsKeyRetiredMail, KmsKeyActionNeededMail {

    /** Who the mail goes to: the key's owner, or the administrator. */
    EmailAddress to();

    /** The account the mail is about. */
    MailAccount account();
}
