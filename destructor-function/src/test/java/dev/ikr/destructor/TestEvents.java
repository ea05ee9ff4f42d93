package dev.ikr.destructor;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The DynamoDB stream events of {@code src/test/resources/events/}, in the shape Lambda delivers them,
 * read with Lambda's own event serializer (as the java21 runtime reads them before the handler).
 */
final class TestEvents {

    private static final PojoSerializer<DynamodbEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, TestEvents.class.getClassLoader());

    private TestEvents() {
    }

    /** The event in {@code events/<name>}. */
    static DynamodbEvent event(String name) {
        String resource = "/events/" + name;
        try (InputStream json = TestEvents.class.getResourceAsStream(resource)) {
            if (json == null) {
                throw new IllegalArgumentException("no test event " + resource);
            }
            return SERIALIZER.fromJson(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The only record of the event in {@code events/<name>}. */
    static DynamodbStreamRecord record(String name) {
        List<DynamodbStreamRecord> records = event(name).getRecords();
        if (records.size() != 1) {
            throw new IllegalArgumentException("events/" + name + " holds " + records.size() + " records, not one");
        }
        return records.get(0);
    }
}
