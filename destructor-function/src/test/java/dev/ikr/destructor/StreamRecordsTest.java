package dev.ikr.destructor;

import static dev.ikr.destructor.TestEvents.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import dev.ikr.domain.RecordSeal;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.StreamChange;
import dev.ikr.domain.StreamChange.Malformed;
import dev.ikr.domain.StreamChange.Other;
import dev.ikr.domain.StreamChange.Removed;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stream records as Lambda delivers them ({@code src/test/resources/events/}), read into {@link StreamChange}s. */
class StreamRecordsTest {

    private static final Instant DELETE_ON = Instant.parse("2026-03-06T12:00:00Z");
    private static final Instant STARTED = Instant.parse("2026-03-01T12:00:00Z");
    private static final String OLD = "AKIAOLDALICE00000001";
    private static final String NEW = "AKIANEWALICE00000001";

    // ---- helpers ------------------------------------------------------------------------------

    /** The TTL removal of alice's pending deletion, with one attribute of the old image replaced. */
    private static DynamodbStreamRecord ttlRemovalWith(String attribute, AttributeValue value) {
        DynamodbStreamRecord record = record("ttl-removal.json");
        Map<String, AttributeValue> image = new HashMap<>(record.getDynamodb().getOldImage());
        image.put(attribute, value);
        record.getDynamodb().setOldImage(image);
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
        Removed removed = readRemoved(record("ttl-removal.json"));

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
        Removed removed = readRemoved(record("manual-delete.json"));

        assertThat(removed.removedByTtl()).isFalse();
        assertThat(removed.removedBy()).isNotBlank();
        assertThat(removed.record().oldKeyId()).isEqualTo(OLD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Service:lambda.amazonaws.com", "AssumedRole:dynamodb.amazonaws.com",
        "Service:dynamodb.amazonaws.com.evil.example"})
    void readsARemovalByAnyOtherIdentity_asNotByTtl(String typeAndPrincipal) {
        String[] parts = typeAndPrincipal.split(":", 2);
        DynamodbStreamRecord record = record("ttl-removal.json");
        record.setUserIdentity(new Identity().withType(parts[0]).withPrincipalId(parts[1]));

        Removed removed = readRemoved(record);

        assertThat(removed.removedByTtl()).isFalse();
        assertThat(removed.removedBy()).contains(parts[0], parts[1]);
    }

    @Test
    void readsTheSeal_whenTheItemHasBothOfItsAttributes_andNoneOtherwise() {
        DynamodbStreamRecord sealed = ttlRemovalWith("mac", new AttributeValue().withS("bWFj"));
        sealed.getDynamodb().getOldImage().put("mac_key", new AttributeValue().withS("a2V5"));

        assertThat(readRemoved(sealed).seal()).contains(new RecordSeal("bWFj", "a2V5"));
        assertThat(readRemoved(ttlRemovalWith("mac", new AttributeValue().withS("bWFj"))).seal()).isEmpty();
        assertThat(readRemoved(record("ttl-removal.json")).seal()).isEmpty();
    }

    @Test
    void readsAnItemOfTheOriginalProject_asAPendingDeletion_withoutASeal() {
        Removed removed = readRemoved(record("original-project-ttl-removal.json"));
        RotationRecord record = removed.record();

        assertThat(removed.seal()).as("never trusted as it is: scripts/ikr adopt seals it").isEmpty();
        assertThat(record.state()).isEqualTo(RecordState.PENDING_DELETION);
        assertThat(record.deleteOn()).contains(DELETE_ON);
        assertThat(record.attempts()).isZero();
        assertThat(record.newKeyId()).isEmpty();
    }

    @Test
    void ignoresUnknownAttributes_ofAnyType() {
        Removed removed = readRemoved(record("unknown-attributes-ttl-removal.json"));

        assertThat(removed.record()).isEqualTo(readRemoved(record("ttl-removal.json")).record());
    }

    @Test
    void usesThePositionAsEventId_whenTheRecordHasNone() {
        DynamodbStreamRecord record = record("ttl-removal.json");
        record.setEventID(null);

        assertThat(StreamRecords.read(record, 7).eventId()).isEqualTo("record-7");
    }

    // ---- other events -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"INSERT", "MODIFY"})
    void readsInsertsAndModifications_asOther(String eventName) {
        DynamodbStreamRecord record = record(eventName.toLowerCase(Locale.ROOT) + ".json");

        StreamChange change = StreamRecords.read(record, 0);

        assertThat(change).isEqualTo(new Other("event-1", eventName));
    }

    // ---- malformed records --------------------------------------------------------------------

    @Test
    void reportsAMissingEventName_asMalformed() {
        DynamodbStreamRecord record = record("ttl-removal.json");
        record.setEventName((String) null);

        assertThat(readMalformed(record).reason()).contains("eventName");
    }

    @Test
    void reportsARemovalWithoutOldImage_asMalformed() {
        DynamodbStreamRecord emptyOldImage = record("ttl-removal.json");
        emptyOldImage.getDynamodb().setOldImage(Map.of());

        assertThat(readMalformed(record("broken-keys-only-removal.json")).reason()).contains("no old image");
        assertThat(readMalformed(emptyOldImage).reason()).contains("no old image");
    }

    @Test
    void reportsARemovalWithoutStreamRecord_asMalformed() {
        DynamodbStreamRecord record = record("ttl-removal.json");
        record.setDynamodb(null);

        assertThat(readMalformed(record).reason()).contains("no old image");
    }

    @Test
    void reportsAUserThatIsANumber_asMalformed_namingTheAttribute() {
        Malformed malformed = readMalformed(record("broken-user-is-a-number.json"));

        assertThat(malformed.eventId()).isEqualTo("event-1");
        assertThat(malformed.reason()).contains("'user'");
    }

    @Test
    void reportsAMissingOldKeyId_asMalformed_namingTheAttribute() {
        assertThat(readMalformed(record("broken-no-old-key-id.json")).reason()).contains("'ak'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "1772798400.5", "1.7e9"})
    void reportsADeleteOnThatIsNotAWholeNumber_asMalformed(String deleteOn) {
        DynamodbStreamRecord record = ttlRemovalWith("delete_on", new AttributeValue().withN(deleteOn));

        assertThat(readMalformed(record).reason()).contains("'delete_on'");
    }

    @Test
    void reportsAPendingDeletionWhoseDeleteOnIsAString_asMalformed() {
        assertThat(readMalformed(record("broken-delete-on-is-a-string.json")).reason()).contains("delete_on");
    }

    @Test
    void reportsAnUnknownState_asMalformed() {
        assertThat(readMalformed(record("broken-unknown-state.json")).reason()).contains("exploded");
    }

    @Test
    void reportsAnUnreadableStartDate_asMalformed() {
        assertThat(readMalformed(record("broken-unreadable-start-date.json")).reason())
                .startsWith("the old image cannot be read");
    }

    @Test
    void reportsAnAttemptCountTooLargeForAnInt_asMalformed() {
        assertThat(readMalformed(record("broken-attempts-beyond-int.json")).reason()).contains("attempts");
    }
}
