package dev.ikr.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ikr.domain.AccountSelection;
import dev.ikr.domain.AccountWork;
import dev.ikr.port.AccountQueue;
import dev.ikr.port.OrganizationDirectory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountDispatchTest {

    private static final Instant NOW = Instant.parse("2027-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final List<String> asked = new ArrayList<>();
    private final OrganizationDirectory organization = new OrganizationDirectory() {
        @Override
        public List<String> activeAccounts() {
            asked.add("all");
            return List.of("123456789012", "111111111111");
        }

        @Override
        public List<String> activeAccountsUnder(List<String> units) {
            asked.add(String.join(",", units));
            return List.of("111111111111");
        }
    };
    private final List<AccountWork> sent = new ArrayList<>();
    private final AccountQueue queue = work -> {
        sent.addAll(work);
        return work.stream().filter(message -> message.account().equals("333333333333"))
                .map(message -> new AccountQueue.Unsent(message.account(), "KMS.AccessDeniedException: the queue's key"))
                .toList();
    };

    @Test
    void sendsOneFirstMessagePerListedAccount_andReportsThoseTheQueueRefused() {
        DispatchSummary summary = new AccountDispatch(new AccountSelection.Listed(List.of("111111111111",
                "333333333333", "222222222222")), organization, queue, CLOCK).dispatch();

        assertThat(sent).containsExactly(AccountWork.first("111111111111", NOW),
                AccountWork.first("333333333333", NOW), AccountWork.first("222222222222", NOW));
        assertThat(asked).as("a list needs no organization").isEmpty();
        assertThat(summary.sent()).containsExactly("111111111111", "222222222222");
        assertThat(summary.anyNotSent()).isTrue();
        assertThat(summary.toResponse(Map.of("sqs:SendMessageBatch", 1L))).containsEntry("mode", "dispatch")
                .containsEntry("accountsSent", List.of("111111111111", "222222222222"))
                .containsEntry("accountsNotSent", List.of(Map.of("account", "333333333333",
                        "reason", "KMS.AccessDeniedException: the queue's key")))
                .containsEntry("totalAwsCalls", 1L);
    }

    @Test
    void asksTheOrganization_forAllItsAccounts_orThoseUnderTheUnits() {
        new AccountDispatch(new AccountSelection.Organization(List.of()), organization, queue, CLOCK).dispatch();
        new AccountDispatch(new AccountSelection.Organization(List.of("ou-ab12-cdef3456")), organization, queue,
                CLOCK).dispatch();

        assertThat(asked).containsExactly("all", "ou-ab12-cdef3456");
        assertThat(sent).extracting(AccountWork::account).containsExactly("123456789012", "111111111111",
                "111111111111");
    }

    @Test
    void selfHasNothingToDispatch() {
        assertThatThrownBy(() -> new AccountDispatch(AccountSelection.SELF, organization, queue, CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
