package dev.ikr.rotation;

import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.RotationRecord;
import dev.ikr.port.PendingDeletions;
import java.util.Optional;

/**
 * The table as one account's run sees it: only the items of that account ({@code account}, or no account for the
 * table's own), and every item it writes names that account. A run in one account never acts on, or reports, an
 * item of another; the seal covers the account, so an item moved to another account does not verify.
 */
public final class AccountScopedDeletions implements PendingDeletions {

    private final PendingDeletions table;
    private final Optional<String> account;

    /** @param account the account of the run; empty: the table's own account */
    public AccountScopedDeletions(PendingDeletions table, Optional<String> account) {
        this.table = table;
        this.account = account;
    }

    @Override
    public Contents all() {
        Contents everything = table.all();
        return new Contents(
                everything.verified().stream().filter(record -> record.account().equals(account)).toList(),
                everything.unverified().stream().filter(item -> item.claimed().account().equals(account)).toList(),
                everything.deliveries().stream().filter(delivery -> delivery.account().equals(account)).toList());
    }

    @Override
    public void recordIntent(RotationRecord intent) {
        table.recordIntent(here(intent));
    }

    @Override
    public void recordNewKey(RotationRecord intent) {
        table.recordNewKey(here(intent));
    }

    @Override
    public void scheduleDeletion(RotationRecord scheduled) {
        table.scheduleDeletion(here(scheduled));
    }

    @Override
    public void putBack(RotationRecord record) {
        table.putBack(here(record));
    }

    @Override
    public boolean isScheduled(String user, String oldKeyId, String newKeyId) {
        return table.isScheduled(user, oldKeyId, newKeyId);
    }

    @Override
    public void clearStale(RotationRecord pending) {
        table.clearStale(here(pending));
    }

    @Override
    public void recordDelivery(LastDelivery delivery) {
        table.recordDelivery(new LastDelivery(delivery.user(), delivery.address(), delivery.keyId(),
                delivery.deliveredAt(), account));
    }

    @Override
    public void removeIntent(String user, String oldKeyId) {
        table.removeIntent(user, oldKeyId);
    }

    @Override
    public void adopt(RotationRecord found, RotationRecord adopted) {
        table.adopt(found, here(adopted));
    }

    private RotationRecord here(RotationRecord record) {
        return record.inAccount(account);
    }
}
