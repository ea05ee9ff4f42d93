package dev.ikr.destructor;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import dev.ikr.aws.RotationTableItems;
import dev.ikr.domain.StreamChange;
import java.time.DateTimeException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads the table's stream records (aws-lambda-java-events) into the destructor's {@link StreamChange}s. */
final class StreamRecords {

    /** The identity DynamoDB puts on records its TTL removed. */
    static final String TTL_TYPE = "Service";
    static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

    private StreamRecords() {
    }

    static StreamChange read(DynamodbStreamRecord record, int position) {
        String eventId = Optional.ofNullable(record.getEventID()).filter(id -> !id.isBlank())
                .orElse("record-" + position);
        String eventName = record.getEventName();
        if (!"REMOVE".equals(eventName)) {
            return eventName == null
                    ? new StreamChange.Malformed(eventId, "the record has no eventName")
                    : new StreamChange.Other(eventId, eventName);
        }
        if (record.getDynamodb() == null || record.getDynamodb().getOldImage() == null
                || record.getDynamodb().getOldImage().isEmpty()) {
            return new StreamChange.Malformed(eventId,
                    "the REMOVE record has no old image (the stream must be NEW_AND_OLD_IMAGES or OLD_IMAGE)");
        }
        try {
            var item = toSdk(record.getDynamodb().getOldImage());
            Identity identity = record.getUserIdentity();
            boolean byTtl = identity != null && TTL_TYPE.equals(identity.getType())
                    && TTL_PRINCIPAL.equals(identity.getPrincipalId());
            String removedBy = identity == null ? "a caller of DeleteItem"
                    : identity.getType() + "/" + identity.getPrincipalId();
            if (RotationTableItems.isKmsKeyItem(item)) {
                return new StreamChange.KmsKeyRemoved(eventId, byTtl, removedBy,
                        RotationTableItems.toKmsKeyRecord(item), RotationTableItems.seal(item));
            }
            var oldImage = RotationTableItems.toRecord(item);
            return new StreamChange.Removed(eventId, byTtl, removedBy, oldImage, RotationTableItems.seal(item));
        } catch (IllegalArgumentException | DateTimeException unreadable) {
            return new StreamChange.Malformed(eventId, "the old image cannot be read: " + unreadable.getMessage());
        }
    }

    /** The scalar attributes of a stream image as SDK values; other types are not used by IKR and are dropped. */
    private static Map<String, AttributeValue> toSdk(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        var item = new HashMap<String, AttributeValue>();
        image.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            if (value.getS() != null) {
                item.put(name, AttributeValue.fromS(value.getS()));
            } else if (value.getN() != null) {
                item.put(name, AttributeValue.fromN(value.getN()));
            } else if (value.getBOOL() != null) {
                item.put(name, AttributeValue.fromBool(value.getBOOL()));
            }
        });
        return item;
    }
}
