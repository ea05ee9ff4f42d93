package dev.ikr.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.RotationRecord;
import dev.ikr.testing.InMemoryPendingDeletions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccountScopedDeletionsTest {

    private static final Instant NOW = Instant.parse("2027-03-01T12:00:00Z");
    private static final Optional<String> MEMBER = Optional.of("111111111111");

    private final InMemoryPendingDeletions table = new InMemoryPendingDeletions(new ArrayList<>());

    @Test
    void anAccountSeesOnlyItsOwnItems_andTheTablesOwnAccountOnlyThoseWithoutOne() {
        RotationRecord own = RotationRecord.intent("alice", "AKIAOWN0000000000001", EmailAddress.of("a@example.com"),
                NOW);
        RotationRecord member = RotationRecord.intent("alice", "AKIAMEMBER0000000001",
                EmailAddress.of("a@example.com"), NOW).inAccount(MEMBER);
        table.put(own).put(member);
        table.putUnverified(RotationRecord.intent("bob", "AKIAFORGED0000000001", EmailAddress.of("b@example.com"),
                NOW).inAccount(Optional.of("222222222222")), false, "no seal");

        assertThat(new AccountScopedDeletions(table, MEMBER).all().verified()).containsExactly(member);
        assertThat(new AccountScopedDeletions(table, Optional.empty()).all().verified()).containsExactly(own);
        assertThat(new AccountScopedDeletions(table, MEMBER).all().unverified()).isEmpty();
        assertThat(new AccountScopedDeletions(table, Optional.of("222222222222")).all().unverified()).hasSize(1);
    }

    @Test
    void everyItemItWritesNamesItsAccount() {
        var scoped = new AccountScopedDeletions(table, MEMBER);
        RotationRecord intent = RotationRecord.intent("carol", "AKIAOLDCAROL00000001",
                EmailAddress.of("c@example.com"), NOW);

        scoped.recordIntent(intent);
        scoped.recordNewKey(intent.withNewKey("AKIANEWCAROL00000001"));
        scoped.recordDelivery(new LastDelivery("carol", EmailAddress.of("c@example.com"), "AKIANEWCAROL00000001",
                NOW));

        assertThat(table.find("carol", "AKIAOLDCAROL00000001")).hasValueSatisfying(record -> {
            assertThat(record.account()).isEqualTo(MEMBER);
            assertThat(record.newKeyId()).contains("AKIANEWCAROL00000001");
        });
        assertThat(table.delivery("carol")).hasValueSatisfying(delivery -> {
            assertThat(delivery.account()).isEqualTo(MEMBER);
            assertThat(delivery.toRecord().oldKeyId()).isEqualTo("#delivered#111111111111");
            assertThat(LastDelivery.fromRecord(delivery.toRecord())).isEqualTo(delivery);
        });
    }
}
