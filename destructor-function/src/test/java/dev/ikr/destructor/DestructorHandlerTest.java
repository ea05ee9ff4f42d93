package dev.ikr.destructor;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.ikr.config.DestructorConfig;
import dev.ikr.domain.AccessKey;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.EncryptionKey;
import dev.ikr.domain.IamUser;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyStatus;
import dev.ikr.domain.MailMessage;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.local.LocalContext;
import dev.ikr.message.MessageRenderer;
import dev.ikr.port.IdentityDirectory;
import dev.ikr.port.Mailer;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.SecretStore.UserKeyDeletion;
import dev.ikr.port.SecretStore;
import dev.ikr.rotation.Destructor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DestructorHandlerTest {

    private static final Instant NOW = Instant.parse("2026-03-06T12:00:00Z");
    private static final String ACCOUNT = "123456789012";
    private static final DestructorConfig CONFIG = DestructorConfig.from(
            Map.of("IAM_KEY_ROTATOR_TABLE", "iam-key-rotator", "MAIL_FROM", "ikr@example.com"));

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final FakeIam iam = new FakeIam();
    private final FakeTable table = new FakeTable();
    private final FakeSsm ssm = new FakeSsm();
    private final FakeMailer mailer = new FakeMailer();
    private final DestructorHandler handler = new DestructorHandler(CONFIG, new Destructor(iam, table, ssm, mailer,
            new MessageRenderer(), new Destructor.Options(CONFIG.encryptKeyPair(), CONFIG.retryAfter(),
                    CONFIG.maxDeleteAttempts(), CONFIG.maxConcurrency()), clock));

    // ---- helpers ------------------------------------------------------------------------------

    private static String oldKey(String user) {
        return "AKIAOLD" + user.toUpperCase(Locale.ROOT) + "0".repeat(13 - user.length());
    }

    private static String newKey(String user) {
        return "AKIANEW" + user.toUpperCase(Locale.ROOT) + "0".repeat(13 - user.length());
    }

    /** A user with its old key and the active replacement the rotator mailed. */
    private void rotated(String user) {
        iam.keys.put(user, new ArrayList<>(List.of(
                new AccessKey(oldKey(user), KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(95))),
                new AccessKey(newKey(user), KeyStatus.ACTIVE, NOW.minus(Duration.ofDays(5))))));
        ssm.users.add(user);
    }

    private static Map<String, AttributeValue> pendingDeletionImage(String user) {
        var image = new HashMap<String, AttributeValue>();
        image.put("user", new AttributeValue().withS(user));
        image.put("ak", new AttributeValue().withS(oldKey(user)));
        image.put("email", new AttributeValue().withS(user + "@example.com"));
        image.put("state", new AttributeValue().withS("pending_deletion"));
        image.put("new_ak", new AttributeValue().withS(newKey(user)));
        image.put("started_at", new AttributeValue().withS(NOW.minus(Duration.ofDays(5)).toString()));
        image.put("delete_on", new AttributeValue().withN(Long.toString(NOW.minusSeconds(60).getEpochSecond())));
        image.put("attempts", new AttributeValue().withN("0"));
        return image;
    }

    private static DynamodbStreamRecord record(String sequenceNumber, String eventName,
            Map<String, AttributeValue> oldImage, Identity identity) {
        var record = new DynamodbStreamRecord();
        record.setEventID("event-" + sequenceNumber);
        record.setEventName(eventName);
        record.setEventSource("aws:dynamodb");
        record.setEventSourceARN("arn:aws:dynamodb:eu-west-1:" + ACCOUNT
                + ":table/iam-key-rotator/stream/2026-01-01T00:00:00.000");
        var streamRecord = new StreamRecord();
        streamRecord.setSequenceNumber(sequenceNumber);
        streamRecord.setOldImage(oldImage);
        record.setDynamodb(streamRecord);
        record.setUserIdentity(identity);
        return record;
    }

    private static DynamodbStreamRecord expired(String sequenceNumber, String user) {
        return record(sequenceNumber, "REMOVE", pendingDeletionImage(user),
                new Identity().withType("Service").withPrincipalId("dynamodb.amazonaws.com"));
    }

    private static DynamodbEvent event(DynamodbStreamRecord... records) {
        var event = new DynamodbEvent();
        event.setRecords(List.of(records));
        return event;
    }

    private StreamsEventResponse handle(DynamodbEvent event) {
        return handler.handleRequest(event, LocalContext.forAccount("ikr-destructor", "eu-west-1", ACCOUNT));
    }

    private static List<String> failedItems(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(BatchItemFailure::getItemIdentifier).toList();
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    void reportsExactlyTheMalformedAndFailedRecords_asBatchItemFailures_andFinishesTheOthers() {
        rotated("alice");
        rotated("bob");
        rotated("carol");
        iam.refuseDeletionsFor("bob");
        table.refusePutBackFor("bob");
        var noOldImage = record("200", "REMOVE", null, null);
        var cancelled = record("500", "REMOVE", pendingDeletionImage("carol"), null);

        StreamsEventResponse response = handle(event(
                expired("100", "alice"),
                noOldImage,
                expired("300", "bob"),
                record("400", "INSERT", null, null),
                cancelled));

        assertThat(failedItems(response)).containsExactly("200", "300");
        assertThat(iam.keyIds("alice")).as("deleted").containsExactly(newKey("alice"));
        assertThat(iam.keyIds("bob")).as("IAM refused").containsExactly(oldKey("bob"), newKey("bob"));
        assertThat(iam.keyIds("carol")).as("cancelled").containsExactly(oldKey("carol"), newKey("carol"));
        assertThat(ssm.users).containsExactlyInAnyOrder("bob", "carol");
        assertThat(table.records).isEmpty();
        assertThat(mailer.sent).singleElement().satisfies(mail -> {
            assertThat(mail.to()).containsExactly(EmailAddress.of("alice@example.com"));
            assertThat(mail.subject()).contains(ACCOUNT);
            assertThat(mail.text()).contains(oldKey("alice"));
        });
    }

    @Test
    void reportsNoFailures_whenEveryRecordIsFinished_evenARequeuedOne() {
        rotated("alice");
        rotated("bob");
        iam.refuseDeletionsFor("bob");

        StreamsEventResponse response = handle(event(expired("100", "alice"), expired("200", "bob")));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(iam.keyIds("alice")).containsExactly(newKey("alice"));
        RotationRecord retry = table.records.get("bob");
        assertThat(retry.state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(retry.attempts()).isEqualTo(1);
        assertThat(retry.deleteOn()).contains(NOW.plus(CONFIG.retryAfter()));
    }

    @Test
    void reportsAMalformedRecordWithoutEventId_byItsSequenceNumber() {
        var unnamed = record("200", null, null, null);
        unnamed.setEventID(null);

        StreamsEventResponse response = handle(event(record("100", "MODIFY", null, null), unnamed));

        assertThat(failedItems(response)).containsExactly("200");
    }

    @Test
    void oneRecordWithAnAttemptCountBeyondIntRange_failsOnlyThatRecord() {
        rotated("alice");
        rotated("bob");
        var overflowing = expired("200", "bob");
        overflowing.getDynamodb().getOldImage().put("attempts", new AttributeValue().withN("4294967296"));

        StreamsEventResponse response = handle(event(expired("100", "alice"), overflowing));

        assertThat(failedItems(response)).containsExactly("200");
        assertThat(iam.keyIds("alice")).containsExactly(newKey("alice"));
        assertThat(iam.keyIds("bob")).containsExactly(oldKey("bob"), newKey("bob"));
    }

    @Test
    void answersAnEmptyBatch_withNoFailures() {
        assertThat(handle(new DynamodbEvent()).getBatchItemFailures()).isEmpty();
        assertThat(handle(event()).getBatchItemFailures()).isEmpty();
        assertThat(mailer.sent).isEmpty();
    }

    // ---- small fakes of the ports (the shared ones are package-private) --------------------------

    /** IAM keys per user; deletions of chosen users fail. */
    private static final class FakeIam implements IdentityDirectory {

        final Map<String, List<AccessKey>> keys = new LinkedHashMap<>();
        private final Set<String> refusing = new HashSet<>();

        synchronized void refuseDeletionsFor(String user) {
            refusing.add(user);
        }

        synchronized List<String> keyIds(String user) {
            return keys.getOrDefault(user, List.of()).stream().map(AccessKey::id).toList();
        }

        @Override
        public Optional<IamUser> user(String name) {
            return Optional.of(new IamUser(name, Map.of("IKR:EMAIL", name + "@example.com")));
        }

        @Override
        public void forEachUser(Consumer<IamUser> consumer) {
            throw new UnsupportedOperationException("the destructor never lists users");
        }

        @Override
        public synchronized List<AccessKey> accessKeys(String user) {
            return List.copyOf(keys.getOrDefault(user, List.of()));
        }

        @Override
        public IssuedAccessKey createAccessKey(String user) {
            throw new UnsupportedOperationException("the destructor never creates keys");
        }

        @Override
        public synchronized KeyDeletion deleteAccessKey(String user, String keyId) {
            if (refusing.contains(user)) {
                throw new IllegalStateException("IAM refused to delete " + keyId + " (test)");
            }
            boolean removed = keys.getOrDefault(user, new ArrayList<>()).removeIf(key -> key.id().equals(keyId));
            return removed ? KeyDeletion.DELETED : KeyDeletion.ALREADY_GONE;
        }

        @Override
        public Optional<String> accountAlias() {
            return Optional.empty();
        }
    }

    /** The records written back, by user; writes for chosen users fail. */
    private static final class FakeTable implements PendingDeletions {

        final Map<String, RotationRecord> records = new ConcurrentHashMap<>();
        private final Set<String> refusing = ConcurrentHashMap.newKeySet();

        void refusePutBackFor(String user) {
            refusing.add(user);
        }

        @Override
        public void putBack(RotationRecord record) {
            if (refusing.contains(record.user())) {
                throw new IllegalStateException("the rotation table is unavailable (test)");
            }
            records.put(record.user(), record);
        }

        @Override
        public List<RotationRecord> all() {
            return List.copyOf(records.values());
        }

        @Override
        public void recordIntent(RotationRecord intent) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void recordNewKey(String user, String oldKeyId, String newKeyId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void scheduleDeletion(String user, String oldKeyId, String newKeyId, Instant deleteOn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isScheduled(String user, String oldKeyId, String newKeyId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void clearStale(RotationRecord pending) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeIntent(String user, String oldKeyId) {
            throw new UnsupportedOperationException();
        }
    }

    /** The users that have a decryption key in SSM. */
    private static final class FakeSsm implements SecretStore {

        final Set<String> users = ConcurrentHashMap.newKeySet();

        @Override
        public void putUserKey(String user, EncryptionKey key, String deliveredKeyId) {
            users.add(user);
        }

        @Override
        public Optional<EncryptionKey> userKey(String user) {
            return Optional.empty();
        }

        @Override
        public UserKeyDeletion deleteUserKey(String user, Optional<String> deliveredKeyId) {
            return users.remove(user) ? UserKeyDeletion.DELETED : UserKeyDeletion.ABSENT;
        }
    }

    private static final class FakeMailer implements Mailer {

        final List<MailMessage> sent = new CopyOnWriteArrayList<>();

        @Override
        public void send(MailMessage message) {
            sent.add(message);
        }
    }
}
