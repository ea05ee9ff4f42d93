package dev.ikr.aws;

import dev.ikr.domain.KmsKeyRecord;
import dev.ikr.domain.RecordSeal;
import dev.ikr.domain.UnverifiedRecord;
import dev.ikr.log.JsonLog;
import dev.ikr.port.KmsKeyRecords;
import dev.ikr.port.RecordAuthenticator;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The KMS keys' items in the rotation table: an access key's attributes, plus {@code kind} ({@value KmsKeyRecord#KIND})
 * and {@code aliases}, all under the seal. Written with the same conditions as the access keys' items
 * ({@link TableWrites}); read with a scan filtered on {@code kind}.
 */
public final class DynamoKmsKeyRecords implements KmsKeyRecords {

    private static final JsonLog LOG = JsonLog.forClass(DynamoKmsKeyRecords.class);

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final RecordAuthenticator authenticator;
    private final TableWrites writes;

    public DynamoKmsKeyRecords(DynamoDbClient dynamoDb, String table, RecordAuthenticator authenticator) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.authenticator = authenticator;
        this.writes = new TableWrites(dynamoDb, table);
    }

    @Override
    public Contents all() {
        var verified = new ArrayList<KmsKeyRecord>();
        var unverified = new ArrayList<UnverifiedRecord>();
        List<Map<String, AttributeValue>> items = dynamoDb.scanPaginator(request -> request.tableName(table)
                .consistentRead(true).filterExpression("#kind = :kind")
                .expressionAttributeNames(Map.of("#kind", RotationTableItems.KIND))
                .expressionAttributeValues(Map.of(":kind", AttributeValue.fromS(KmsKeyRecord.KIND))))
                .items().stream().filter(RotationTableItems::isKmsKeyItem).toList();
        for (Map<String, AttributeValue> item : items) {
            KmsKeyRecord record;
            try {
                record = RotationTableItems.toKmsKeyRecord(item);
            } catch (IllegalArgumentException | DateTimeException malformed) {
                LOG.error("unreadable KMS key item skipped", Map.of("table", table,
                        "alias", item.get(RotationTableItems.USER).s(), "reason", malformed.getMessage()));
                continue;
            }
            Optional<RecordSeal> seal = RotationTableItems.seal(item);
            Optional<String> notAuthentic = authenticator.whyNotAuthentic(record, seal);
            if (notAuthentic.isPresent()) {
                unverified.add(new UnverifiedRecord(record.rotation(), seal.isPresent(), notAuthentic.get()));
            } else {
                verified.add(record);
            }
        }
        return new Contents(verified, unverified);
    }

    @Override
    public void recordIntent(KmsKeyRecord intent) {
        writes.putIntent(sealed(intent));
    }

    @Override
    public void recordNewKey(KmsKeyRecord intent) {
        writes.putNewKey(sealed(intent));
    }

    @Override
    public void scheduleRetirement(KmsKeyRecord scheduled) {
        scheduled.newKeyId().orElseThrow();
        writes.putScheduled(sealed(scheduled));
    }

    @Override
    public boolean isScheduled(String alias, String oldKeyId, String newKeyId) {
        return writes.scheduledItem(alias, oldKeyId, newKeyId)
                .filter(RotationTableItems::isKmsKeyItem)
                .filter(item -> authenticator.whyNotAuthentic(RotationTableItems.toKmsKeyRecord(item),
                        RotationTableItems.seal(item)).isEmpty())
                .isPresent();
    }

    @Override
    public void removeIntent(String alias, String oldKeyId) {
        writes.removeIntent(alias, oldKeyId);
    }

    @Override
    public void putBack(KmsKeyRecord record) {
        writes.putBack(sealed(record));
    }

    private Map<String, AttributeValue> sealed(KmsKeyRecord record) {
        return RotationTableItems.toItem(record, authenticator.seal(record));
    }
}
