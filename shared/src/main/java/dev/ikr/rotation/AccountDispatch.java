package dev.ikr.rotation;

import dev.ikr.domain.AccountSelection;
import dev.ikr.domain.AccountWork;
import dev.ikr.log.JsonLog;
import dev.ikr.port.AccountQueue;
import dev.ikr.port.OrganizationDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The scheduled run when {@code ACCOUNTS} is not {@code self}: it lists the accounts the selection names (asking the
 * organization when it names the organization or its units) and sends one message per account to the queue, where a
 * worker rotates each account on its own. Nothing else happens in this run.
 */
public final class AccountDispatch {

    private static final JsonLog LOG = JsonLog.forClass(AccountDispatch.class);

    private final AccountSelection selection;
    private final OrganizationDirectory organization;
    private final AccountQueue queue;
    private final Clock clock;

    public AccountDispatch(AccountSelection selection, OrganizationDirectory organization, AccountQueue queue,
            Clock clock) {
        if (selection.isSelf()) {
            throw new IllegalArgumentException("ACCOUNTS=self rotates the deployment's own account: nothing to send");
        }
        this.selection = selection;
        this.organization = organization;
        this.queue = queue;
        this.clock = clock;
    }

    /** The accounts the selection names now: the list as given, or the organization's active accounts. */
    public List<String> selectedAccounts() {
        return switch (selection) {
            case AccountSelection.Listed listed -> listed.accounts();
            case AccountSelection.Organization all when all.units().isEmpty() -> organization.activeAccounts();
            case AccountSelection.Organization units -> organization.activeAccountsUnder(units.units());
            case AccountSelection.Self self -> throw new IllegalStateException("not reached");
        };
    }

    /** Lists the accounts and sends each its message; a message the queue refused is reported for its account. */
    public DispatchSummary dispatch() {
        Instant now = clock.instant();
        List<String> accounts = selectedAccounts();
        List<AccountQueue.Unsent> unsent = queue.send(accounts.stream().map(id -> AccountWork.first(id, now)).toList());
        List<String> notSent = unsent.stream().map(AccountQueue.Unsent::account).toList();
        List<String> sent = accounts.stream().filter(id -> !notSent.contains(id)).toList();
        unsent.forEach(failed -> LOG.error("account not sent: it is not rotated in this run",
                Map.of("account", failed.account(), "reason", failed.reason())));
        LOG.info("accounts sent", Map.of("sent", sent.size(), "notSent", unsent.size()));
        return new DispatchSummary(now, sent, unsent);
    }
}
