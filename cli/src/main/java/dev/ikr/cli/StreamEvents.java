package dev.ikr.cli;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * DynamoDB stream events as Lambda delivers them: JSON read with Lambda's own event serializer, and
 * records read from the DynamoDB Streams API turned into that JSON.
 */
public final class StreamEvents {

    private static final PojoSerializer<DynamodbEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamEvents.class.getClassLoader());

    private StreamEvents() {
    }

    public static DynamodbEvent read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return SERIALIZER.fromJson(in);
        }
    }

    /**
     * The event the table's event source mapping would deliver for {@code records}.
     *
     * @param removedByTtl whether to mark the records as removed by DynamoDB's TTL (the local stand-in for it)
     */
    public static DynamodbEvent event(List<Record> records, String streamArn, boolean removedByTtl) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (Record record : records) {
            var change = new LinkedHashMap<String, Object>();
            if (record.dynamodb().approximateCreationDateTime() != null) {
                change.put("ApproximateCreationDateTime", record.dynamodb().approximateCreationDateTime().getEpochSecond());
            }
            change.put("Keys", image(record.dynamodb().keys()));
            if (record.dynamodb().hasOldImage()) {
                change.put("OldImage", image(record.dynamodb().oldImage()));
            }
            if (record.dynamodb().hasNewImage()) {
                change.put("NewImage", image(record.dynamodb().newImage()));
            }
            change.put("SequenceNumber", record.dynamodb().sequenceNumber());
            if (record.dynamodb().sizeBytes() != null) {
                change.put("SizeBytes", record.dynamodb().sizeBytes());
            }
            if (record.dynamodb().streamViewType() != null) {
                change.put("StreamViewType", record.dynamodb().streamViewTypeAsString());
            }
            var entry = new LinkedHashMap<String, Object>();
            entry.put("eventID", record.eventID());
            entry.put("eventName", record.eventNameAsString());
            entry.put("eventVersion", record.eventVersion());
            entry.put("eventSource", "aws:dynamodb");
            entry.put("awsRegion", record.awsRegion());
            entry.put("dynamodb", change);
            entry.put("eventSourceARN", streamArn);
            if (removedByTtl) {
                entry.put("userIdentity", Map.of("type", "Service", "principalId", "dynamodb.amazonaws.com"));
            }
            json.add(entry);
        }
        try {
            byte[] bytes = LocalRun.JSON.writeValueAsBytes(Map.of("Records", json));
            return SERIALIZER.fromJson(new ByteArrayInputStream(bytes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stream records could not be written as an event", e);
        }
    }

    private static Map<String, Object> image(Map<String, AttributeValue> image) {
        var json = new LinkedHashMap<String, Object>();
        image.forEach((name, value) -> {
            switch (value.type()) {
                case S -> json.put(name, Map.of("S", value.s()));
                case N -> json.put(name, Map.of("N", value.n()));
                case BOOL -> json.put(name, Map.of("BOOL", value.bool()));
                case NUL -> json.put(name, Map.of("NULL", true));
                default -> json.put(name, Map.of("S", String.valueOf(value)));
            }
        });
        return json;
    }
}
