package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.aws.AwsClients;
import dev.ikr.cli.Expiry;
import dev.ikr.config.DestructorConfig;
import dev.ikr.config.RotatorConfig;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.local.LocalContext;
import dev.ikr.rotator.RotatorHandler;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Someone who can write the table, against the real handlers on moto: items IKR did not write never make it
 * delete a key IAM does not corroborate, cut a user off, or mail an address the item chose.
 */
@ExtendWith(MotoExtension.class)
class HostileTableWritesIT {

    private static final String FORGER = "forger@attacker.example";

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final TestAccount account = new TestAccount(Moto.shared());
    private final AwsClients clients = new AwsClients();
    private final Instant now = Instant.now();

    @BeforeEach
    void setUp() {
        account.createTable().verifySender();
    }

    @Test
    void aForgedPendingItemInTheOriginalFormat_deletesNoKey_andMailsNobodyItNames() {
        account.createUser("tagged", Map.of("IKR:EMAIL", "tagged@example.com"));
        account.createUser("untagged", Map.of("team", "ci"));
        Map<String, List<String>> keys = new HashMap<>();
        for (String user : List.of("tagged", "untagged")) {
            keys.put(user, List.of(account.createKey(user), account.createKey(user)));
            account.putItem(Map.of("user", s(user), "ak", s(keys.get(user).getFirst()), "email", s(FORGER),
                    "delete_on", n(now.minus(Duration.ofMinutes(1)))));
        }

        Map<String, Object> result = expire(now);

        assertThat((List<?>) result.get("batchItemFailures")).isEmpty();
        for (String user : List.of("tagged", "untagged")) {
            assertThat(account.keyIds(user)).as("%s keeps both keys", user).containsExactlyElementsOf(keys.get(user));
            assertThat(account.item(user, keys.get(user).getFirst()).orElseThrow().get("state").s())
                    .isEqualTo("needs_attention");
        }
        assertThat(account.sentMailsTo(FORGER)).as("an item never chooses an address").isEmpty();
        assertThat(account.sentMailsTo("tagged@example.com")).singleElement()
                .satisfies(mail -> assertThat(mail.subject()).contains("action needed"));
    }

    @Test
    void aForgedPendingItemNamingAnotherActiveKeyOfAnUntaggedUser_deletesNothing() {
        account.createUser("builder", Map.of());
        String first = account.createKey("builder");
        String second = account.createKey("builder");
        account.putItem(Map.of("user", s("builder"), "ak", s(first), "email", s(FORGER), "state",
                s("pending_deletion"), "new_ak", s(second), "started_at", s(now.minus(Duration.ofDays(5)).toString()),
                "delete_on", n(now.minus(Duration.ofMinutes(1))), "attempts", AttributeValue.fromN("0")));

        expire(now);

        assertThat(account.keyIds("builder")).containsExactly(first, second);
        assertThat(account.sentMails()).isEmpty();
    }

    @Test
    void aForgedIntent_neverMakesARepairDeleteTheUsersOnlyKey_norAKeyItDoesNotName() {
        account.createUser("alice", Map.of("IKR:EMAIL", "alice@example.com"));
        String only = account.createKey("alice");
        account.createUser("bob", Map.of("IKR:EMAIL", "bob@example.com"));
        String bobsOld = account.createKey("bob");
        String bobsOther = account.createKey("bob");
        String started = now.minus(Duration.ofDays(30)).toString();
        // alice: an intent for a key she does not have, naming her only key as its undelivered new key
        account.putItem(Map.of("user", s("alice"), "ak", s("AKIAFORGEDOLDKEY0001"), "email", s(FORGER),
                "state", s("rotating"), "new_ak", s(only), "started_at", s(started), "attempts",
                AttributeValue.fromN("0")));
        // bob: an intent that names no new key, with a second key created after its start
        account.putItem(Map.of("user", s("bob"), "ak", s(bobsOld), "email", s(FORGER), "state", s("rotating"),
                "started_at", s(started), "attempts", AttributeValue.fromN("0")));

        rotate(now);

        assertThat(account.keyIds("alice")).containsExactly(only);
        assertThat(account.keyIds("bob")).containsExactly(bobsOld, bobsOther);
        assertThat(account.sentMailsTo(FORGER)).isEmpty();
        assertThat(logs.all()).contains("last_active_key_kept", "unknown_second_key");
    }

    // --- helpers ---------------------------------------------------------------------------------

    private void rotate(Instant at) {
        try {
            new RotatorHandler(RotatorConfig.from(env()), clients, clockAt(at)).handleRequest(Map.of(), context());
        } catch (RuntimeException failedUsers) {
            // a user that failed ends the run in error after every other user; the assertions say what happened
        }
    }

    private Map<String, Object> expire(Instant at) {
        var destructor = new DestructorHandler(DestructorConfig.from(env()), clients, clockAt(at));
        return new Expiry(clients, TestAccount.TABLE).run(at, destructor, context());
    }

    private static Map<String, String> env() {
        return Map.of("IAM_KEY_ROTATOR_TABLE", TestAccount.TABLE, "MAIL_FROM", TestAccount.SENDER);
    }

    private static Clock clockAt(Instant at) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at));
    }

    private static LocalContext context() {
        return LocalContext.forAccount("ikr", Moto.REGION, Moto.ACCOUNT_ID);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(Instant at) {
        return AttributeValue.fromN(Long.toString(at.getEpochSecond()));
    }
}
