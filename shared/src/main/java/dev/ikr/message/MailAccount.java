package dev.ikr.message;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The account as a mail names it: its id, and its alias when it has one. */
public record MailAccount(String id, Optional<String> alias) {

    public MailAccount {
        Objects.requireNonNull(id, "id");
        alias = alias == null ? Optional.empty() : alias.filter(name -> !name.isBlank());
    }

    void addTo(Map<String, Object> values) {
        values.put("accountId", id);
        alias.ifPresent(name -> values.put("accountAlias", name));
    }
}
