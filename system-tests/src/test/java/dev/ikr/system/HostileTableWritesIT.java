package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.aws.AwsClients;
import dev.ikr.cli.Expiry;
import dev.ikr.config.DestructorConfig;
import dev.ikr.config.RotatorConfig;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.local.LocalContext;
import dev.ikr.rotator.RotationRunFailedException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Someone who can write the table, against the real handlers on moto: items IKR did not write, or changed since
 * IKR sealed them, are never acted on (no key deleted, no repair, no rotation, no owner mailed); the
 * administrator is told.
 */
@ExtendWith(MotoExtension.class)
class HostileTableWritesIT {

    private static final String FORGER = "forger@attacker.example";
    private static final String ADMIN = "secops@example.com";

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
    void aForgedPendingItemInTheOriginalFormat_deletesNoKey_mailsNoOwner_andTellsTheAdministrator() {
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
        }
        assertThat(account.sentMailsTo(FORGER)).as("an item never chooses an address").isEmpty();
        assertThat(account.sentMailsTo("tagged@example.com")).isEmpty();
        assertThat(account.sentMailsTo(ADMIN)).hasSize(2).allSatisfy(mail -> assertThat(mail.body())
                .contains("carries no MAC"));
        assertThat(logs.all()).contains("\"result\":\"unverified_record\"");
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
        assertThat(account.sentMailsTo(FORGER)).isEmpty();
        assertThat(account.sentMailsTo(ADMIN)).singleElement()
                .satisfies(mail -> assertThat(mail.body()).contains("user builder, key " + first));
    }

    @Test
    void forgedIntents_areNeitherRepairedNorRotated_whateverTheyName() {
        account.createUser("alice", Map.of("IKR:EMAIL", "alice@example.com"));
        String only = account.createKey("alice");
        account.createUser("bob", Map.of("IKR:EMAIL", "bob@example.com"));
        String bobsOld = account.createKey("bob");
        String bobsOther = account.createKey("bob");
        account.createUser("carol", Map.of("IKR:EMAIL", "carol@example.com"));
        String carols = account.createKey("carol");
        String started = now.minus(Duration.ofDays(30)).toString();
        // alice: an intent for a key she does not have, naming her only key as its undelivered new key
        account.putItem(Map.of("user", s("alice"), "ak", s("AKIAFORGEDOLDKEY0001"), "email", s(FORGER),
                "state", s("rotating"), "new_ak", s(only), "started_at", s(started), "attempts",
                AttributeValue.fromN("0")));
        // bob: an intent that names no new key, with a second key created after its start
        account.putItem(Map.of("user", s("bob"), "ak", s(bobsOld), "email", s(FORGER), "state", s("rotating"),
                "started_at", s(started), "attempts", AttributeValue.fromN("0")));
        // carol: an intent with a start in the past, for her one key, naming it as the undelivered new key
        account.putItem(Map.of("user", s("carol"), "ak", s(carols), "email", s(FORGER), "state", s("rotating"),
                "new_ak", s(carols), "started_at", s(started), "attempts", AttributeValue.fromN("0")));

        Map<String, Object> summary = rotate(now.plus(Duration.ofDays(100)));

        assertThat(account.keyIds("alice")).containsExactly(only);
        assertThat(account.keyIds("bob")).containsExactly(bobsOld, bobsOther);
        assertThat(account.keyIds("carol")).containsExactly(carols);
        assertThat(account.sentMailsTo(FORGER)).isEmpty();
        assertThat(summary.toString()).contains("user=alice, action=unverified_record",
                "user=bob, action=unverified_record", "user=carol, action=unverified_record");
        assertThat(account.sentMailsTo(ADMIN)).singleElement().satisfies(mail -> assertThat(mail.body())
                .contains("user alice", "user bob", "user carol"));
    }

    /**
     * A genuine pending deletion of alice's first key, then the item changed in one attribute, its seal kept: another
     * date, address, key or count, an account added (so the destructor would assume a member role and act there), or
     * the kind of a KMS key's item.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"an earlier delete_on, delete_on", "another email, email", "another new key, new_ak",
            "another attempt count, attempts", "another account (the destructor would act there), account",
            "read as a KMS key's item, kind"})
    void aSealedItemWithOneFieldChanged_isNotActedOn(String change, String attribute) {
        account.createUser("alice", Map.of("IKR:EMAIL", "alice@example.com"));
        String old = account.createKey("alice");
        rotate(now.plus(Duration.ofDays(100)));
        var item = new HashMap<>(account.item("alice", old).orElseThrow());
        String delivered = item.get("new_ak").s();
        item.put(attribute, switch (attribute) {
            case "delete_on" -> n(now.plus(Duration.ofDays(101)));
            case "email" -> s(FORGER);
            case "new_ak" -> s(old);
            case "account" -> s("111111111111");
            case "kind" -> s("kms_key");
            default -> AttributeValue.fromN("7");
        });
        account.putItem(item);

        expire(now.plus(Duration.ofDays(106)));

        assertThat(account.keyIds("alice")).as("the old key is kept").containsExactly(old, delivered);
        assertThat(account.sentMailsTo(FORGER)).isEmpty();
        if (!attribute.equals("kind")) {
            assertThat(account.sentMailsTo(ADMIN)).singleElement()
                    .satisfies(mail -> assertThat(mail.body()).contains("does not match its fields"));
        } // a KMS key's attribute on an access key's item: the item cannot be read, and is reported as malformed
    }

    @Test
    void anItemCopiedOntoAnotherKey_isNotActedOn() {
        account.createUser("alice", Map.of("IKR:EMAIL", "alice@example.com"));
        String old = account.createKey("alice");
        rotate(now.plus(Duration.ofDays(100)));
        var item = new HashMap<>(account.item("alice", old).orElseThrow());
        String delivered = item.get("new_ak").s();
        item.put("ak", s(delivered));
        item.put("new_ak", s(old));
        account.putItem(item);

        expire(now.plus(Duration.ofDays(106)));

        assertThat(account.keyIds("alice")).as("the delivered key is kept").contains(delivered);
        assertThat(account.sentMailsTo(ADMIN)).singleElement()
                .satisfies(mail -> assertThat(mail.body()).contains("user alice, key " + delivered));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private Map<String, Object> rotate(Instant at) {
        try {
            return new RotatorHandler(RotatorConfig.from(env()), clients, clockAt(at))
                    .handleRequest(Map.of(), context());
        } catch (RotationRunFailedException failedUsers) {
            // a user that failed ends the run in error after every other user; the assertions say what happened
            return failedUsers.summary();
        }
    }

    private Map<String, Object> expire(Instant at) {
        var destructor = new DestructorHandler(DestructorConfig.from(env()), clients, clockAt(at));
        return new Expiry(clients, TestAccount.TABLE).run(at, destructor, context());
    }

    private Map<String, String> env() {
        var env = new HashMap<>(account.tableVariables());
        env.put("ADMIN_EMAIL", ADMIN);
        return env;
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
