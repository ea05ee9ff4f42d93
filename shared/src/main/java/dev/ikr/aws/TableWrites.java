package dev.ikr.aws;

import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.port.RotationConflictException;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The rotation table's conditional writes, for access keys' and KMS keys' items alike: every write puts a whole
 * sealed item under a condition on what the item must still be, so two runs never both act on one key.
 */
final class TableWrites {

    private final DynamoDbClient dynamoDb;
    private final String table;

    TableWrites(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** An intent: only if no item has the same key. */
    void putIntent(Map<String, AttributeValue> item) {
        put(item, "attribute_not_exists(#user)", Map.of("#user", RotationTableItems.USER), Map.of());
    }

    /** The intent with its new key: only while it is still an intent. */
    void putNewKey(Map<String, AttributeValue> item) {
        put(item, "#state = :rotating", Map.of("#state", RotationTableItems.STATE),
                Map.of(":rotating", s(RecordState.ROTATING.attributeValue())));
    }

    /** The intent turned into a pending deletion: only from the intent, or again for the same new key. */
    void putScheduled(Map<String, AttributeValue> item) {
        put(item, "#state = :rotating OR (#state = :pending AND #new = :new)",
                Map.of("#state", RotationTableItems.STATE, "#new", RotationTableItems.NEW_KEY),
                Map.of(":rotating", s(RecordState.ROTATING.attributeValue()),
                        ":pending", s(RecordState.PENDING_DELETION.attributeValue()),
                        ":new", item.get(RotationTableItems.NEW_KEY)));
    }

    /** Replaces any item with the same key. */
    void putBack(Map<String, AttributeValue> item) {
        dynamoDb.putItem(request -> request.tableName(table).item(item));
    }

    /** The item, read consistently; empty when there is none. */
    Optional<Map<String, AttributeValue>> get(String user, String oldKeyId) {
        var item = dynamoDb.getItem(request -> request.tableName(table).consistentRead(true)
                .key(RotationTableItems.key(user, oldKeyId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * The item, if it reads as a pending deletion in favour of {@code newKeyId} (a write whose reply was lost); its
     * seal is the caller's to check, as its kind decides.
     */
    Optional<Map<String, AttributeValue>> scheduledItem(String user, String oldKeyId, String newKeyId) {
        return get(user, oldKeyId).filter(item -> {
            RotationRecord record = RotationTableItems.commonFields(item);
            return record.state() == RecordState.PENDING_DELETION && record.newKeyId().equals(Optional.of(newKeyId));
        });
    }

    /** Removes an intent, and only an intent: an item that is gone or changed meanwhile is left as it is. */
    void removeIntent(String user, String oldKeyId) {
        try {
            dynamoDb.deleteItem(request -> request
                    .tableName(table)
                    .key(RotationTableItems.key(user, oldKeyId))
                    .conditionExpression("#state = :rotating")
                    .expressionAttributeNames(Map.of("#state", RotationTableItems.STATE))
                    .expressionAttributeValues(Map.of(":rotating", s(RecordState.ROTATING.attributeValue()))));
        } catch (ConditionalCheckFailedException notAnIntent) {
            // already removed, or no longer an intent: nothing of ours to remove
        }
    }

    /** Puts the whole item if {@code condition} holds; a failed condition is a conflict. */
    void put(Map<String, AttributeValue> item, String condition, Map<String, String> names,
            Map<String, AttributeValue> values) {
        try {
            dynamoDb.putItem(request -> request
                    .tableName(table)
                    .item(item)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values.isEmpty() ? null : values));
        } catch (ConditionalCheckFailedException changed) {
            throw new RotationConflictException(item.get(RotationTableItems.USER).s(),
                    item.get(RotationTableItems.OLD_KEY).s());
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
