package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads a table's stream from its start, every shard, as {@code scripts/ikr expire} needs it (in Lambda, the
 * event source mapping reads the stream for the destructor: no function ships this).
 */
public final class TableStream {

    private final DynamoDbClient dynamoDb;
    private final DynamoDbStreamsClient streams;
    private final String table;

    public TableStream(AwsClients clients, String table) {
        this.dynamoDb = clients.dynamoDb();
        this.streams = clients.build(DynamoDbStreamsClient.builder());
        this.table = table;
    }

    /** The table's latest stream. */
    public String arn() {
        String arn = dynamoDb.describeTable(request -> request.tableName(table)).table().latestStreamArn();
        if (arn == null) {
            throw new IllegalStateException("table " + table + " has no stream: enable NEW_AND_OLD_IMAGES");
        }
        return arn;
    }

    /** Every record the stream still holds, shard by shard, each shard in order. */
    public List<Record> records(String streamArn) {
        List<Record> records = new ArrayList<>();
        var shards = streams.describeStream(request -> request.streamArn(streamArn)).streamDescription().shards();
        for (var shard : shards) {
            String iterator = streams.getShardIterator(request -> request.streamArn(streamArn)
                    .shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                var page = streams.getRecords(request -> request.shardIterator(current));
                records.addAll(page.records());
                iterator = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return records;
    }
}
