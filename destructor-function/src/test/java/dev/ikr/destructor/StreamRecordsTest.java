package dev.ikr.destructor;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.StreamChange;
import dev.ikr.domain.StreamChange.Malformed;
import dev.ikr.domain.StreamChange.Other;
import dev.ikr.domain.StreamChange.Removed;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamRecordsTest {

    private static final Instant DELETE_ON = Instant.parse("2026-03-06T12:00:00Z");
    private static final Instant STARTED = Instant.parse("2026-03-01T12:00:00Z");
    private static final String OLD = "AKIAOLDALICE00000001";
    private static final String NEW = "AKIANEWALICE00000001";

    // ---- helpers ------------------------------------------------------------------------------

    private static AttributeValue s(String value) {
        return new AttributeValue().withS(value);
    }

    private static AttributeValue n(String value) {
        return new AttributeValue().withN(value);
    }

    /** The item the rotator writes for a pending deletion. */
    private static Map<String, AttributeValue> pendingDeletionImage() {
        var image = new HashMap<String, AttributeValue>();
        image.put("user", s("alice"));
        image.put("ak", s(OLD));
        image.put("email", s("alice@example.com"));
        image.put("state", s("pending_deletion"));
        image.put("new_ak", s(NEW));
        image.put("started_at", s(STARTED.toString()));
        image.put("delete_on", n(Long.toString(DELETE_ON.getEpochSecond())));
        image.put("attempts", n("2"));
        return image;
    }

    private static Identity ttlIdentity() {
        return new Identity().withType("Service").withPrincipalId("dynamodb.amazonaws.com");
    }

    private static DynamodbStreamRecord removal(Map<String, AttributeValue> oldImage, Identity identity) {
        var record = new DynamodbStreamRecord();
        record.setEventID("event-1");
        record.setEventName("REMOVE");
        record.setEventSource("aws:dynamodb");
        var streamRecord = new StreamRecord();
        streamRecord.setSequenceNumber("111100000000000000001");
        streamRecord.setKeys(Map.of("user", s("alice"), "ak", s(OLD)));
        streamRecord.setOldImage(oldImage);
        record.setDynamodb(streamRecord);
        record.setUserIdentity(identity);
        return record;
    }

    private static Removed readRemoved(DynamodbStreamRecord record) {
        StreamChange change = StreamRecords.read(record, 0);
        assertThat(change).isInstanceOf(Removed.class);
        return (Removed) change;
    }

    private static Malformed readMalformed(DynamodbStreamRecord record) {
        StreamChange change = StreamRecords.read(record, 0);
        assertThat(change).isInstanceOf(Malformed.class);
        return (Malformed) change;
    }

    // ---- who removed it -----------------------------------------------------------------------

    @Test
    void readsATtlRemoval_asRemovedByTtl_withTheWholeRecord() {
        Removed removed = readRemoved(removal(pendingDeletionImage(), ttlIdentity()));

        assertThat(removed.eventId()).isEqualTo("event-1");
        assertThat(removed.removedByTtl()).isTrue();
        assertThat(removed.removedBy()).isEqualTo("Service/dynamodb.amazonaws.com");
        RotationRecord record = removed.record();
        assertThat(record.user()).isEqualTo("alice");
        assertThat(record.oldKeyId()).isEqualTo(OLD);
        assertThat(record.email()).isEqualTo("alice@example.com");
        assertThat(record.state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(record.newKeyId()).contains(NEW);
        assertThat(record.startedAt()).isEqualTo(STARTED);
        assertThat(record.deleteOn()).contains(DELETE_ON);
        assertThat(record.attempts()).isEqualTo(2);
        assertThat(record.reason()).isEmpty();
    }

    @Test
    void readsARemovalWithoutIdentity_asNotByTtl() {
        Removed removed = readRemoved(removal(pendingDeletionImage(), null));

        assertThat(removed.removedByTtl()).isFalse();
        assertThat(removed.removedBy()).isNotBlank();
        assertThat(removed.record().oldKeyId()).isEqualTo(OLD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Service:lambda.amazonaws.com", "AssumedRole:dynamodb.amazonaws.com",
        "Service:dynamodb.amazonaws.com.evil.example"})
    void readsARemovalByAnyOtherIdentity_asNotByTtl(String typeAndPrincipal) {
        String[] parts = typeAndPrincipal.split(":", 2);
        var identity = new Identity().withType(parts[0]).withPrincipalId(parts[1]);

        Removed removed = readRemoved(removal(pendingDeletionImage(), identity));

        assertThat(removed.removedByTtl()).isFalse();
        assertThat(removed.removedBy()).contains(parts[0], parts[1]);
    }

    @Test
    void readsAnItemOfTheOriginalProject_asAPendingDeletion() {
        var image = new HashMap<String, AttributeValue>();
        image.put("user", s("alice"));
        image.put("ak", s(OLD));
        image.put("email", s("alice@example.com"));
        image.put("delete_on", n(Long.toString(DELETE_ON.getEpochSecond())));

        RotationRecord record = readRemoved(removal(image, ttlIdentity())).record();

        assertThat(record.state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(record.deleteOn()).contains(DELETE_ON);
        assertThat(record.attempts()).isZero();
        assertThat(record.newKeyId()).isEmpty();
    }

    @Test
    void ignoresUnknownAttributes_ofAnyType() {
        Map<String, AttributeValue> image = pendingDeletionImage();
        image.put("tags", new AttributeValue().withL(s("team-a"), n("7")));
        image.put("audit", new AttributeValue().withM(Map.of("by", s("operator"))));
        image.put("labels", new AttributeValue().withSS("x", "y"));
        image.put("archived", new AttributeValue().withBOOL(false));
        image.put("note", s("written by hand"));

        Removed removed = readRemoved(removal(image, ttlIdentity()));

        assertThat(removed.record()).isEqualTo(readRemoved(removal(pendingDeletionImage(), ttlIdentity())).record());
    }

    @Test
    void usesThePositionAsEventId_whenTheRecordHasNone() {
        DynamodbStreamRecord record = removal(pendingDeletionImage(), ttlIdentity());
        record.setEventID(null);

        assertThat(StreamRecords.read(record, 7).eventId()).isEqualTo("record-7");
    }

    // ---- other events -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"INSERT", "MODIFY"})
    void readsInsertsAndModifications_asOther(String eventName) {
        DynamodbStreamRecord record = removal(pendingDeletionImage(), null);
        record.setEventName(eventName);

        StreamChange change = StreamRecords.read(record, 0);

        assertThat(change).isEqualTo(new Other("event-1", eventName));
    }

    // ---- malformed records --------------------------------------------------------------------

    @Test
    void reportsAMissingEventName_asMalformed() {
        DynamodbStreamRecord record = removal(pendingDeletionImage(), ttlIdentity());
        record.setEventName((String) null);

        assertThat(readMalformed(record).reason()).contains("eventName");
    }

    @Test
    void reportsARemovalWithoutOldImage_asMalformed() {
        assertThat(readMalformed(removal(null, ttlIdentity())).reason()).contains("no old image");
        assertThat(readMalformed(removal(Map.of(), ttlIdentity())).reason()).contains("no old image");
    }

    @Test
    void reportsARemovalWithoutStreamRecord_asMalformed() {
        DynamodbStreamRecord record = removal(pendingDeletionImage(), ttlIdentity());
        record.setDynamodb(null);

        assertThat(readMalformed(record).reason()).contains("no old image");
    }

    @Test
    void reportsAUserThatIsANumber_asMalformed_namingTheAttribute() {
        Map<String, AttributeValue> image = pendingDeletionImage();
        image.put("user", n("42"));

        Malformed malformed = readMalformed(removal(image, ttlIdentity()));

        assertThat(malformed.eventId()).isEqualTo("event-1");
        assertThat(malformed.reason()).contains("'user'");
    }

    @Test
    void reportsAMissingOldKeyId_asMalformed_namingTheAttribute() {
        Map<String, AttributeValue> image = pendingDeletionImage();
        image.remove("ak");

        assertThat(readMalformed(removal(image, ttlIdentity())).reason()).contains("'ak'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "1772798400.5", "1.7e9"})
    void reportsADeleteOnThatIsNotAWholeNumber_asMalformed(String deleteOn) {
        Map<String, AttributeValue> image = pendingDeletionImage();
        image.put("delete_on", n(deleteOn));

        assertThat(readMalformed(removal(image, ttlIdentity())).reason()).contains("'delete_on'");
    }

    @Test
    void reportsAPendingDeletionWhoseDeleteOnIsAString_asMalformed() {
        Map<String, AttributeValue> image = pendingDeletionImage();
        image.put("delete_on", s(Long.toString(DELETE_ON.getEpochSecond())));

        assertThat(readMalformed(removal(image, ttlIdentity())).reason()).contains("delete_on");
    }

    @Test
    void reportsAnUnknownState_asMalformed() {
        Map<String, AttributeValue> image = pendingDeletionImage();
        image.put("state", s("exploded"));

        assertThat(readMalformed(removal(image, ttlIdentity())).reason()).contains("exploded");
    }

    @Test
    void reportsAnUnreadableStartDate_asMalformed() {
        Map<String, AttributeValue> image = pendingDeletionImage();
        image.put("started_at", s("yesterday"));

        assertThat(readMalformed(removal(image, ttlIdentity())).reason()).startsWith("the old image cannot be read");
    }

    @Test
    void reportsAnAttemptCountTooLargeForAnInt_asMalformed() {
        Map<String, AttributeValue> image = pendingDeletionImage();
        image.put("attempts", n("4294967296"));

        assertThat(readMalformed(removal(image, ttlIdentity())).reason()).contains("attempts");
    }
}
