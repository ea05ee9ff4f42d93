package dev.ikr.rotation;

import dev.ikr.domain.StreamChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The destructor of a batch whose items may belong to several accounts: each removed item is handled by the
 * {@link Destructor} of the account it names (its IAM and SSM calls under that account's member role), the others
 * (and the items of the table's own account) by the destructor of the table's account. The item names its account,
 * so the destructor needs no {@code ACCOUNTS}; the seal covers the account, so an item cannot send it elsewhere.
 */
public final class AccountDestructors {

    /** The destructor of an account (empty: the table's own), built by the wiring. */
    public interface Factory {
        Destructor forAccount(Optional<String> account);
    }

    private final Factory factory;

    public AccountDestructors(Factory factory) {
        this.factory = factory;
    }

    /** Every record gets an outcome, in the batch's order; the accounts are handled one after the other. */
    public List<DeletionOutcome> process(List<StreamChange> batch, String ownAccountId) {
        Map<Optional<String>, List<StreamChange>> byAccount = new LinkedHashMap<>();
        for (StreamChange change : batch) {
            Optional<String> account = change instanceof StreamChange.Removed removed
                    ? removed.record().account() : Optional.empty();
            byAccount.computeIfAbsent(account, key -> new ArrayList<>()).add(change);
        }
        Map<String, DeletionOutcome> outcomes = new HashMap<>();
        byAccount.forEach((account, changes) -> factory.forAccount(account)
                .process(changes, account.orElse(ownAccountId))
                .forEach(outcome -> outcomes.put(outcome.eventId(), outcome)));
        return batch.stream().map(change -> outcomes.get(change.eventId())).toList();
    }
}
