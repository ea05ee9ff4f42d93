package dev.ikr.rotation;

import dev.ikr.log.JsonLog;
import dev.ikr.message.MailAccount;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.util.Failures;
import dev.ikr.util.Lazy;
import java.util.Map;
import java.util.Optional;

/** The account as the mails of one run name it: its id, and its alias read at most once, when a mail needs it. */
final class AccountForMails {

    private static final JsonLog LOG = JsonLog.forClass(AccountForMails.class);

    private final Lazy<MailAccount> account;

    AccountForMails(String id, IdentityDirectory directory) {
        this.account = Lazy.of(() -> new MailAccount(id, aliasOrNone(directory)));
    }

    MailAccount get() {
        return account.get();
    }

    /** The alias only decorates the mail: failing to read it never stops a delivery. */
    private static Optional<String> aliasOrNone(IdentityDirectory directory) {
        try {
            return directory.accountAlias();
        } catch (RuntimeException e) {
            LOG.warn("account alias unavailable; mails name the account by its id",
                    Map.of("reason", Failures.describe(e)));
            return Optional.empty();
        }
    }
}
