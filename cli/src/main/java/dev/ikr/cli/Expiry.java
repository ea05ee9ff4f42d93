package dev.ikr.cli;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ikr.aws.AwsClients;
import dev.ikr.aws.AwsKmsKeys;
import dev.ikr.aws.IamDirectory;
import dev.ikr.aws.RotationTableItems;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.domain.RecordState;
import dev.ikr.domain.RotationRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The local stand-in for DynamoDB TTL (moto never expires items): deletes the pending deletions
 * whose {@code delete_on} has passed, reads their REMOVE records from the table's real stream, marks
 * them as TTL removals, and delivers them to the destructor handler in batches, as the event source
 * mapping would.
 */
public final class Expiry {

    static final int BATCH_SIZE = 100;

    private final AwsClients clients;
    private final String table;
    private final TableStream stream;

    public Expiry(AwsClients clients, String table) {
        this.clients = clients;
        this.table = table;
        this.stream = new TableStream(clients, table);
    }

    /**
     * Expires every pending deletion due at {@code now} and hands the removals to {@code handler}.
     *
     * @return what became of each expired record, as {@code scripts/ikr expire} prints it
     */
    public Map<String, Object> run(Instant now, DestructorHandler handler, Context context) {
        Map<String, Map<String, AttributeValue>> expiredItems = new LinkedHashMap<>();
        List<RotationRecord> expired = expire(now, expiredItems);
        List<Record> removals = removalsOf(expired);
        int fromStream = removals.size();
        removals = withMissingRemovals(removals, expiredItems);
        String streamArn = stream.arn();
        List<String> retried = new ArrayList<>();
        for (int start = 0; start < removals.size(); start += BATCH_SIZE) {
            var batch = removals.subList(start, Math.min(removals.size(), start + BATCH_SIZE));
            StreamsEventResponse response = handler.handleRequest(StreamEvents.event(batch, streamArn, true), context);
            response.getBatchItemFailures().forEach(failure -> retried.add(failure.getItemIdentifier()));
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("now", now.toString());
        result.put("expired", expired.stream().map(record -> RotationTableItems.isKmsKeyItem(
                expiredItems.get(keyOf(record.user(), record.oldKeyId()))) ? kmsKeyAfterwards(record)
                : afterwards(record)).toList());
        result.put("deliveredToDestructor", removals.size());
        if (removals.size() > fromStream) {
            result.put("note", (removals.size() - fromStream) + " REMOVE record(s) were not in the stream (moto hands"
                    + " them to its own event source mapping when one exists) and were rebuilt from the deleted items");
        }
        result.put("batchItemFailures", retried);
        return result;
    }

    /** Deletes every pending deletion due at {@code now}, unless it changed meanwhile. */
    private List<RotationRecord> expire(Instant now, Map<String, Map<String, AttributeValue>> expiredItems) {
        List<RotationRecord> expired = new ArrayList<>();
        for (var item : clients.dynamoDb().scanPaginator(request -> request.tableName(table)).items()) {
            RotationRecord record;
            try {
                record = RotationTableItems.commonFields(item);
            } catch (RuntimeException unreadable) {
                continue;
            }
            if (record.state() != RecordState.PENDING_DELETION || record.deleteOn().orElseThrow().isAfter(now)) {
                continue;
            }
            try {
                clients.dynamoDb().deleteItem(request -> request.tableName(table)
                        .key(RotationTableItems.key(record.user(), record.oldKeyId()))
                        .conditionExpression("#deleteOn = :deleteOn")
                        .expressionAttributeNames(Map.of("#deleteOn", RotationTableItems.DELETE_ON))
                        .expressionAttributeValues(Map.of(":deleteOn", item.get(RotationTableItems.DELETE_ON))));
                expired.add(record);
                expiredItems.put(keyOf(record.user(), record.oldKeyId()), item);
            } catch (ConditionalCheckFailedException changed) {
                // rescheduled meanwhile: not due any more
            }
        }
        return expired;
    }

    /** The latest REMOVE record of each expired item, in stream order. */
    private List<Record> removalsOf(List<RotationRecord> expired) {
        if (expired.isEmpty()) {
            return List.of();
        }
        var wanted = new java.util.HashSet<String>();
        expired.forEach(record -> wanted.add(keyOf(record.user(), record.oldKeyId())));
        var latest = new LinkedHashMap<String, Record>();
        for (Record record : stream.records(stream.arn())) {
            if (record.eventName() == OperationType.REMOVE) {
                Map<String, AttributeValue> keys = record.dynamodb().keys();
                String key = keyOf(keys.get(RotationTableItems.USER).s(), keys.get(RotationTableItems.OLD_KEY).s());
                if (wanted.contains(key)) {
                    latest.remove(key);
                    latest.put(key, record);
                }
            }
        }
        return new ArrayList<>(latest.values());
    }

    /** A REMOVE record, as the stream would hold it, for each expired item the stream did not show. */
    private static List<Record> withMissingRemovals(List<Record> removals,
            Map<String, Map<String, AttributeValue>> expiredItems) {
        var found = new java.util.HashSet<String>();
        removals.forEach(record -> found.add(keyOf(record.dynamodb().keys().get(RotationTableItems.USER).s(),
                record.dynamodb().keys().get(RotationTableItems.OLD_KEY).s())));
        List<Record> all = new ArrayList<>(removals);
        long sequence = System.currentTimeMillis() * 1000;
        for (var entry : expiredItems.entrySet()) {
            if (found.contains(entry.getKey())) {
                continue;
            }
            Map<String, AttributeValue> item = entry.getValue();
            all.add(Record.builder().eventID("rebuilt-" + (++sequence)).eventName(OperationType.REMOVE)
                    .eventVersion("1.1").awsRegion(new DefaultAwsRegionProviderChain().getRegion().id())
                    .dynamodb(StreamRecord.builder()
                            .keys(RotationTableItems.key(item.get(RotationTableItems.USER).s(),
                                    item.get(RotationTableItems.OLD_KEY).s()))
                            .oldImage(item).sequenceNumber(Long.toString(sequence))
                            .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
                    .build());
        }
        return all;
    }

    private static String keyOf(String user, String oldKeyId) {
        return user + "\u0000" + oldKeyId;
    }

    /** What became of an expired record: is the key gone, and is the record back (and why)? */
    private Map<String, Object> afterwards(RotationRecord record) {
        var entry = new LinkedHashMap<String, Object>();
        entry.put("user", record.user());
        entry.put("keyId", record.oldKeyId());
        entry.put("deleteOn", record.deleteOn().orElseThrow().toString());
        var key = new IamDirectory(clients.iam()).accessKeys(record.user()).stream()
                .filter(found -> found.id().equals(record.oldKeyId())).findFirst();
        entry.put("keyDeleted", key.isEmpty());
        key.ifPresent(found -> entry.put("keyActive", found.isActive()));
        return withItemBack(entry, record);
    }

    /** What became of a KMS key's expired item: the old key's state (and deletion date), and the item if it is back. */
    private Map<String, Object> kmsKeyAfterwards(RotationRecord record) {
        var entry = new LinkedHashMap<String, Object>();
        entry.put("alias", record.user());
        entry.put("keyId", record.oldKeyId());
        entry.put("retireOn", record.deleteOn().orElseThrow().toString());
        var key = new AwsKmsKeys(clients.kms()).find(record.oldKeyId());
        entry.put("keyState", key.map(found -> found.state()).orElse("gone"));
        key.flatMap(found -> found.deletionDate()).ifPresent(at -> entry.put("keyDeletionDate", at.toString()));
        return withItemBack(entry, record);
    }

    private Map<String, Object> withItemBack(Map<String, Object> entry, RotationRecord record) {
        var back = clients.dynamoDb().getItem(request -> request.tableName(table).consistentRead(true)
                .key(RotationTableItems.key(record.user(), record.oldKeyId()))).item();
        if (back != null && !back.isEmpty()) {
            RotationRecord now = RotationTableItems.commonFields(back);
            entry.put("recordState", now.state().attributeValue());
            now.deleteOn().ifPresent(next -> entry.put("nextDate", next.toString()));
            now.reason().ifPresent(reason -> entry.put("reason", reason));
        }
        return entry;
    }
}
