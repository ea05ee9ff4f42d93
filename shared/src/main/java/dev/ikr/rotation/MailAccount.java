package dev.ikr.rotation;

import dev.ikr.port.IdentityDirectory;
import dev.ikr.util.Lazy;
import java.util.Map;
import java.util.Optional;

/** The account as the mails name it: its id, and its alias read at most once per run. */
final class MailAccount {

    private final String id;
    private final Lazy<Optional<String>> alias;

    MailAccount(String id, IdentityDirectory directory) {
        this.id = id;
        this.alias = Lazy.of(directory::accountAlias);
    }

    /** Adds {@code accountId} and, when the account has one, {@code accountAlias} to a template's values. */
    void addTo(Map<String, Object> values) {
        values.put("accountId", id);
        alias.get().ifPresent(name -> values.put("accountAlias", name));
    }
}
