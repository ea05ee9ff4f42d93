package dev.ikr.aws;

import dev.ikr.domain.LastDelivery;
import dev.ikr.domain.RecordSeal;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import dev.ikr.domain.UnverifiedRecord;
import dev.ikr.log.JsonLog;
import dev.ikr.port.PendingDeletions;
import dev.ikr.port.RecordAuthenticator;
import dev.ikr.port.RotationConflictException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The rotation table over the DynamoDB low-level client. Attribute names: {@code user} (hash),
 * {@code ak} (range, the old key id), {@code email}, {@code state}, {@code new_ak},
 * {@code started_at}, {@code delete_on} (epoch seconds, the TTL), {@code attempts}, {@code reason}, and the seal,
 * {@code mac} and {@code mac_key}. Every write puts the whole item with a fresh seal, under a condition on what the
 * item must still be; every read checks the seal.
 */
public final class DynamoPendingDeletions implements PendingDeletions {

    private static final JsonLog LOG = JsonLog.forClass(DynamoPendingDeletions.class);

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final RecordAuthenticator authenticator;
    private final TableWrites writes;

    public DynamoPendingDeletions(DynamoDbClient dynamoDb, String table, RecordAuthenticator authenticator) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.authenticator = authenticator;
        this.writes = new TableWrites(dynamoDb, table);
    }

    @Override
    public Contents all() {
        List<Map<String, AttributeValue>> items;
        try {
            items = dynamoDb.scanPaginator(request -> request.tableName(table).consistentRead(true))
                    .items().stream().toList();
        } catch (ResourceNotFoundException missing) {
            throw new IllegalStateException("the table '" + table + "' (IAM_KEY_ROTATOR_TABLE) does not exist in this"
                    + " account and region: nothing was done");
        }
        var verified = new ArrayList<RotationRecord>();
        var unverified = new ArrayList<UnverifiedRecord>();
        var deliveries = new ArrayList<LastDelivery>();
        for (Map<String, AttributeValue> item : items) {
            if (RotationTableItems.isKmsKeyItem(item)) {
                continue; // a KMS key's item: DynamoKmsKeyRecords reads it
            }
            RotationRecord record;
            try {
                record = RotationTableItems.toRecord(item);
            } catch (IllegalArgumentException | DateTimeException malformed) {
                unreadable(item, malformed);
                continue;
            }
            Optional<RecordSeal> seal = RotationTableItems.seal(item);
            Optional<String> notAuthentic = authenticator.whyNotAuthentic(record, seal);
            if (notAuthentic.isPresent()) {
                unverified.add(new UnverifiedRecord(record, seal.isPresent(), notAuthentic.get()));
            } else if (record.state() == RecordState.DELIVERED) {
                try {
                    deliveries.add(LastDelivery.fromRecord(record));
                } catch (IllegalArgumentException malformed) {
                    unreadable(item, malformed);
                }
            } else {
                verified.add(record);
            }
        }
        return new Contents(verified, unverified, deliveries);
    }

    private void unreadable(Map<String, AttributeValue> item, RuntimeException malformed) {
        LOG.error("unreadable table record skipped", Map.of(
                "table", table, "user", describe(item, RotationTableItems.USER),
                "keyId", describe(item, RotationTableItems.OLD_KEY), "reason", malformed.getMessage()));
    }

    @Override
    public void recordIntent(RotationRecord intent) {
        writes.putIntent(sealed(intent));
    }

    @Override
    public void recordNewKey(RotationRecord intent) {
        writes.putNewKey(sealed(intent));
    }

    @Override
    public void scheduleDeletion(RotationRecord scheduled) {
        scheduled.newKeyId().orElseThrow();
        writes.putScheduled(sealed(scheduled));
    }

    @Override
    public boolean isScheduled(String user, String oldKeyId, String newKeyId) {
        return writes.scheduledItem(user, oldKeyId, newKeyId)
                .filter(item -> !RotationTableItems.isKmsKeyItem(item))
                .filter(item -> authenticator.whyNotAuthentic(RotationTableItems.toRecord(item),
                        RotationTableItems.seal(item)).isEmpty())
                .isPresent();
    }

    @Override
    public void putBack(RotationRecord record) {
        writes.putBack(sealed(record));
    }

    @Override
    public void removeIntent(String user, String oldKeyId) {
        writes.removeIntent(user, oldKeyId);
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
                            ":deleteOn", epochSeconds(pending))));
        } catch (ConditionalCheckFailedException changed) {
            // already gone or changed meanwhile: nothing stale of ours to remove
        }
    }

    @Override
    public void recordDelivery(LastDelivery delivery) {
        try {
            put(delivery.toRecord(), "attribute_not_exists(#user) OR #startedAt <= :startedAt",
                    Map.of("#user", RotationTableItems.USER, "#startedAt", RotationTableItems.STARTED_AT),
                    Map.of(":startedAt", s(delivery.deliveredAt().toString())));
        } catch (RotationConflictException later) {
            // a later delivery is remembered already: it stays
        }
    }

    @Override
    public void adopt(RotationRecord found, RotationRecord adopted) {
        if (!found.user().equals(adopted.user()) || !found.oldKeyId().equals(adopted.oldKeyId())) {
            throw new IllegalArgumentException("an adopted record keeps the user and old key of the item found");
        }
        var names = new HashMap<String, String>(Map.of("#mac", RotationTableItems.MAC));
        var values = new HashMap<String, AttributeValue>();
        String condition = "attribute_not_exists(#mac)";
        if (found.deleteOn().isPresent()) {
            names.put("#deleteOn", RotationTableItems.DELETE_ON);
            values.put(":deleteOn", epochSeconds(found));
            condition += " AND #deleteOn = :deleteOn";
        }
        put(adopted, condition, names, values);
    }

    /** Puts the whole sealed item if {@code condition} holds; a failed condition is a conflict. */
    private void put(RotationRecord record, String condition, Map<String, String> names,
            Map<String, AttributeValue> values) {
        writes.put(sealed(record), condition, names, values);
    }

    private Map<String, AttributeValue> sealed(RotationRecord record) {
        return RotationTableItems.toItem(record, authenticator.seal(record));
    }

    private static AttributeValue epochSeconds(RotationRecord record) {
        return AttributeValue.fromN(Long.toString(record.deleteOn().orElseThrow().getEpochSecond()));
    }

    private static String describe(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "?" : value.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
