package dev.ikr.aws;

import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.RotationConflictException;
import dev.ikr.log.JsonLog;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The rotation table over the DynamoDB low-level client. Attribute names: {@code user} (hash),
 * {@code ak} (range, the old key id), {@code email}, {@code state}, {@code new_ak},
 * {@code started_at}, {@code delete_on} (epoch seconds, the TTL), {@code attempts}, {@code reason}.
 */
public final class DynamoPendingDeletions implements PendingDeletions {

    private static final JsonLog LOG = JsonLog.forClass(DynamoPendingDeletions.class);

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoPendingDeletions(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public List<RotationRecord> all() {
        var records = new ArrayList<RotationRecord>();
        Iterable<Map<String, AttributeValue>> items;
        try {
            items = List.copyOf(dynamoDb.scanPaginator(request -> request.tableName(table).consistentRead(true))
                    .items().stream().toList());
        } catch (ResourceNotFoundException missing) {
            throw new IllegalStateException("the table '" + table + "' (IAM_KEY_ROTATOR_TABLE) does not exist in this"
                    + " account and region: nothing was done");
        }
        for (Map<String, AttributeValue> item : items) {
            try {
                records.add(RotationTableItems.toRecord(item));
            } catch (IllegalArgumentException | DateTimeException malformed) {
                LOG.error("unreadable table record skipped", Map.of(
                        "table", table, "user", describe(item, RotationTableItems.USER),
                        "keyId", describe(item, RotationTableItems.OLD_KEY), "reason", malformed.getMessage()));
            }
        }
        return records;
    }

    @Override
    public void recordIntent(RotationRecord intent) {
        try {
            dynamoDb.putItem(request -> request
                    .tableName(table)
                    .item(RotationTableItems.toItem(intent))
                    .conditionExpression("attribute_not_exists(#user)")
                    .expressionAttributeNames(Map.of("#user", RotationTableItems.USER)));
        } catch (ConditionalCheckFailedException taken) {
            throw new RotationConflictException(intent.user(), intent.oldKeyId());
        }
    }

    @Override
    public void recordNewKey(String user, String oldKeyId, String newKeyId) {
        update(user, oldKeyId, "SET #new = :new", Map.of("#new", RotationTableItems.NEW_KEY),
                Map.of(":new", s(newKeyId)));
    }

    @Override
    public void scheduleDeletion(String user, String oldKeyId, String newKeyId, Instant deleteOn) {
        try {
            dynamoDb.updateItem(request -> request
                    .tableName(table)
                    .key(RotationTableItems.key(user, oldKeyId))
                    .updateExpression("SET #state = :pending, #new = :new, #deleteOn = :deleteOn")
                    .conditionExpression("#state = :rotating OR (#state = :pending AND #new = :new)")
                    .expressionAttributeNames(Map.of("#state", RotationTableItems.STATE,
                            "#new", RotationTableItems.NEW_KEY, "#deleteOn", RotationTableItems.DELETE_ON))
                    .expressionAttributeValues(Map.of(
                            ":rotating", s(RecordState.ROTATING.attributeValue()),
                            ":pending", s(RecordState.PENDING_DELETION.attributeValue()),
                            ":new", s(newKeyId),
                            ":deleteOn", AttributeValue.fromN(Long.toString(deleteOn.getEpochSecond())))));
        } catch (ConditionalCheckFailedException changed) {
            throw new RotationConflictException(user, oldKeyId);
        }
    }

    @Override
    public boolean isScheduled(String user, String oldKeyId, String newKeyId) {
        var item = dynamoDb.getItem(request -> request.tableName(table).consistentRead(true)
                .key(RotationTableItems.key(user, oldKeyId))).item();
        if (item == null || item.isEmpty()) {
            return false;
        }
        RotationRecord record = RotationTableItems.toRecord(item);
        return record.state() == RecordState.PENDING_DELETION && record.newKeyId().equals(java.util.Optional.of(newKeyId));
    }

    @Override
    public void putBack(RotationRecord record) {
        dynamoDb.putItem(request -> request.tableName(table).item(RotationTableItems.toItem(record)));
    }

    @Override
    public void removeIntent(String user, String oldKeyId) {
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

    @Override
    public void clearStale(RotationRecord pending) {
        try {
            dynamoDb.deleteItem(request -> request
                    .tableName(table)
                    .key(RotationTableItems.key(pending.user(), pending.oldKeyId()))
                    .conditionExpression("#state = :pending AND #deleteOn = :deleteOn")
                    .expressionAttributeNames(Map.of("#state", RotationTableItems.STATE,
                            "#deleteOn", RotationTableItems.DELETE_ON))
                    .expressionAttributeValues(Map.of(
                            ":pending", s(RecordState.PENDING_DELETION.attributeValue()),
                            ":deleteOn", RotationTableItems.toItem(pending).get(RotationTableItems.DELETE_ON))));
        } catch (ConditionalCheckFailedException changed) {
            // already gone or changed meanwhile: nothing stale of ours to remove
        }
    }

    /** Updates an intent; fails if the record is gone or is no longer an intent. */
    private void update(String user, String oldKeyId, String expression, Map<String, String> names,
            Map<String, AttributeValue> values) {
        var allNames = new HashMap<>(names);
        allNames.put("#state", RotationTableItems.STATE);
        var allValues = new HashMap<>(values);
        allValues.put(":rotating", s(RecordState.ROTATING.attributeValue()));
        try {
            dynamoDb.updateItem(request -> request
                    .tableName(table)
                    .key(RotationTableItems.key(user, oldKeyId))
                    .updateExpression(expression)
                    .conditionExpression("#state = :rotating")
                    .expressionAttributeNames(allNames)
                    .expressionAttributeValues(allValues));
        } catch (ConditionalCheckFailedException changed) {
            throw new RotationConflictException(user, oldKeyId);
        }
    }

    private static String describe(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "?" : value.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
