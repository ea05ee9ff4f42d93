package dev.ikr.rotator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.aws.AwsClients;
import dev.ikr.config.RotatorConfig;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.local.LocalContext;
import dev.ikr.testbed.FaultInjector;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.model.ListAccessKeysRequest;

/**
 * What a run costs at account scale: with the credential report, {@code ListAccessKeys} is called only for the users
 * whose report row cannot rule out a change, so a run of N users, R of them due, stays within
 * {@code ceil(N/1000) + 7R + 10} AWS calls, however many users are tagged.
 */
@ExtendWith(MotoExtension.class)
class CallBudgetIT {

    private static final int USERS = 60;
    /** Reading the items' MAC key (SSM) and decrypting it (KMS): once per run, whatever the number of users. */
    private static final int SEALING_CALLS = 2;
    /** moto dates every key now; 40 days on, a key is due under a 30-day limit and not under a 365-day one. */
    private static final Clock FORTY_DAYS_LATER = Clock.offset(Clock.systemUTC(), Duration.ofDays(40));

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final TestAccount account = new TestAccount(Moto.shared());
    private final Set<String> tagged = new TreeSet<>();
    private final Set<String> due = new TreeSet<>();
    /** Tagged, not due, but with a needs_attention record in the table: its keys must be listed. */
    private final String withRecord = "user12";
    private final Set<String> listed = ConcurrentHashMap.newKeySet();
    private final FaultInjector faults = new FaultInjector().fail("ListAccessKeys", request -> {
        listed.add(((ListAccessKeysRequest) request).userName());
        return false; // only watches
    });

    /** 60 users; every third one is tagged (20), the first four of those with a 30-day limit (4 due). */
    @BeforeEach
    void setUp() {
        account.createTable().verifySender();
        for (int i = 0; i < USERS; i++) {
            String user = String.format("user%02d", i);
            if (i % 3 == 0) {
                tagged.add(user);
                boolean isDue = due.size() < 4;
                if (isDue) {
                    due.add(user);
                }
                account.createUser(user, Map.of("IKR:EMAIL", user + "@example.com",
                        "IKR:ROTATE_AFTER_DAYS", isDue ? "30" : "365"));
                account.createKey(user);
            } else {
                account.createUser(user, Map.of("team", "platform"));
                if (i % 2 == 0) {
                    account.createKey(user);
                }
            }
        }
        String recordedKey = account.keyIds(withRecord).getFirst();
        account.putSealed(new RotationRecord(withRecord, recordedKey,
                withRecord + "@example.com", RecordState.NEEDS_ATTENTION, Optional.empty(), Optional.empty(),
                Instant.now(), 10, Optional.of("deletion failed 10 times")));
        assertThat(tagged).hasSize(20).contains(withRecord);
        assertThat(due).containsExactly("user00", "user03", "user06", "user09").doesNotContain(withRecord);
    }

    @Test
    void rotatesEveryDueUser_withinTheCallBudget_listingKeysOnlyWhereTheReportCannotRuleOutAChange() {
        Map<String, Object> response = invoke();

        assertThat(response).containsEntry("credentialReport", "used");
        Map<String, Number> calls = calls(response);
        long budget = (long) Math.ceil(USERS / 1000.0) + 7L * due.size() + 10 + SEALING_CALLS;
        assertThat(((Number) response.get("totalAwsCalls")).longValue()).as("total AWS calls, %s", calls)
                .isLessThanOrEqualTo(budget);
        assertThat(listed).as("users whose keys were listed").containsAll(due).contains(withRecord)
                .hasSize(due.size() + 1);
        assertThat(calls.get("iam:ListAccessKeys").intValue()).isEqualTo(due.size() + 1);
        assertThat(calls).doesNotContainKey("iam:ListUserTags").doesNotContainKey("kms:GenerateDataKey");
        assertThat(calls.get("kms:Decrypt").intValue()).as("the MAC key, decrypted once for the run").isEqualTo(1);
        assertThat(calls.get("ssm:GetParameter").intValue()).as("the MAC key, read once for the run").isEqualTo(1);
        assertThat(calls.get("iam:GetAccountAuthorizationDetails").intValue()).isEqualTo(1);
        assertThat(calls.get("iam:GetCredentialReport").intValue()).isEqualTo(1);

        assertEveryDueUserRotated(response);
        for (String user : tagged) {
            if (!due.contains(user) && !user.equals(withRecord)) {
                assertThat(userEntry(response, user)).containsEntry("action", "skipped");
                assertThat((String) userEntry(response, user).get("reason"))
                        .isEqualTo("not_due: the credential report showed its key at 40 days;"
                                + " it is rotated at 365 days");
                assertThat(account.keyIds(user)).hasSize(1);
            }
        }
        assertThat(userEntry(response, withRecord)).containsEntry("action", "needs_attention");
        assertThat((String) userEntry(response, withRecord).get("reason")).startsWith("awaiting_attention");
    }

    @Test
    void listsEveryTaggedUser_andStillRotatesEveryDueOne_whenTheReportIsDenied() {
        faults.fail("GenerateCredentialReport");

        Map<String, Object> response = invoke();

        assertThat((String) response.get("credentialReport")).startsWith("unavailable: ")
                .contains("GenerateCredentialReport");
        assertThat(listed).as("users whose keys were listed").containsExactlyInAnyOrderElementsOf(tagged);
        assertThat(calls(response).get("iam:ListAccessKeys").intValue()).isEqualTo(tagged.size());
        assertThat(calls(response)).doesNotContainKey("iam:GetCredentialReport").doesNotContainKey("iam:ListUserTags");
        assertEveryDueUserRotated(response);
        for (String user : tagged) {
            if (!due.contains(user) && !user.equals(withRecord)) {
                assertThat((String) userEntry(response, user).get("reason")).startsWith("not_due: key ");
            }
        }
        assertThat(logs.lines()).anyMatch(line -> line.contains("\"level\":\"WARN\"")
                && line.contains("credential report unavailable"));
    }

    private void assertEveryDueUserRotated(Map<String, Object> response) {
        for (String user : due) {
            assertThat(userEntry(response, user)).containsEntry("action", "rotated");
            assertThat(account.keyIds(user)).hasSize(2);
            assertThat(account.sentMailsTo(user + "@example.com")).hasSize(1);
        }
        List<String> rotated = new ArrayList<>();
        users(response).stream().filter(entry -> "rotated".equals(entry.get("action")))
                .forEach(entry -> rotated.add((String) entry.get("user")));
        assertThat(rotated).containsExactlyInAnyOrderElementsOf(due);
        assertThat(users(response)).hasSize(tagged.size());
    }

    private Map<String, Object> invoke() {
        var config = RotatorConfig.from(account.tableVariables());
        return new RotatorHandler(config, new AwsClients(List.of(faults)), FORTY_DAYS_LATER)
                .handleRequest(Map.of(), LocalContext.forAccount("ikr-rotator", Moto.REGION, Moto.ACCOUNT_ID));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Number> calls(Map<String, Object> response) {
        return (Map<String, Number>) response.get("awsCalls");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> users(Map<String, Object> response) {
        return (List<Map<String, Object>>) response.get("users");
    }

    private static Map<String, Object> userEntry(Map<String, Object> response, String user) {
        return users(response).stream().filter(entry -> user.equals(entry.get("user"))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry for " + user + " in " + response.get("users")));
    }
}
