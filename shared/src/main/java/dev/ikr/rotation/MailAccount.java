package dev.ikr.rotation;

import dev.ikr.log.JsonLog;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.util.Lazy;
import java.util.Map;
import java.util.Optional;

/** The account as the mails name it: its id, and its alias read at most once per run. */
final class MailAccount {

    private static final JsonLog LOG = JsonLog.forClass(MailAccount.class);

    private final String id;
    private final Lazy<Optional<String>> alias;

    MailAccount(String id, IdentityDirectory directory) {
        this.id = id;
        this.alias = Lazy.of(() -> aliasOrNone(directory));
    }

    /** The alias only decorates the mail: failing to read it never stops a delivery. */
    private static Optional<String> aliasOrNone(IdentityDirectory directory) {
        try {
            return directory.accountAlias();
        } catch (RuntimeException e) {
            LOG.warn("account alias unavailable; mails name the account by its id", Map.of("reason",
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
            return Optional.empty();
        }
    }

    /** Adds {@code accountId} and, when the account has one, {@code accountAlias} to a template's values. */
    void addTo(Map<String, Object> values) {
        values.put("accountId", id);
        alias.get().ifPresent(name -> values.put("accountAlias", name));
    }
}
