package dev.ikr.rotation;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.RotationRecord;
import dev.ikr.message.Mail;
import dev.ikr.message.MailAccount;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Who the destructor's mails about one record go to, and the account they name. The owner is the user's current
 * {@code IKR:EMAIL}; when IAM could not be read, the address recorded at the rotation; nobody when the user no
 * longer carries the tag (a record alone never chooses an address).
 */
record Audience(Optional<EmailAddress> owner, AccountForMails account, OwnerMails mails) {

    /** IAM was not read (or could not be): the address recorded at the rotation. */
    static Audience recorded(RotationRecord record, AccountForMails account, OwnerMails mails) {
        return new Audience(parse(record.email()), account, mails);
    }

    /** The user's current {@code IKR:EMAIL}, if any. */
    static Audience current(Optional<IamUser> user, AccountForMails account, OwnerMails mails) {
        return new Audience(user.flatMap(found -> found.tag(IamUser.EMAIL_TAG)).flatMap(Audience::parse), account,
                mails);
    }

    /** Mails the owner about {@code record}, if there is one; never throws. */
    void tell(RotationRecord record, String template, BiFunction<EmailAddress, MailAccount, Mail> mail) {
        mails.send(record, template, owner, to -> mail.apply(to, account.get()));
    }

    private static Optional<EmailAddress> parse(String address) {
        try {
            return Optional.of(EmailAddress.of(address));
        } catch (IllegalArgumentException unreadable) {
            return Optional.empty();
        }
    }
}
