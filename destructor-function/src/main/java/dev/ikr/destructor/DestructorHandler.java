package dev.ikr.destructor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ikr.aws.AwsClients;
import dev.ikr.config.DestructorConfig;
import dev.ikr.domain.StreamChange;
import dev.ikr.log.JsonLog;
import dev.ikr.message.MessageRenderer;
import dev.ikr.rotation.DeletionOutcome;
import dev.ikr.rotation.Destructor;
import dev.ikr.wiring.InvokedAccount;
import dev.ikr.wiring.Priming;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crac.Core;
import org.crac.Resource;

/**
 * The destructor Lambda, fed by the table's stream. Thin: it reads the records, lets the
 * {@link Destructor} handle them, and reports the records the stream must deliver again as
 * {@code batchItemFailures} (partial batch response), so one bad record never blocks or loses the others.
 */
public final class DestructorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse>, Resource {

    private static final JsonLog LOG = JsonLog.forClass(DestructorHandler.class);

    private final DestructorConfig config;
    private final Destructor destructor;
    private final AwsClients clients;

    /**
     * Used by Lambda: configuration from the environment, validated once, clients built once; with
     * SnapStart, the clients are primed before the snapshot.
     */
    public DestructorHandler() {
        this(DestructorConfig.from(System.getenv()), new AwsClients(), Clock.systemUTC());
        Core.getGlobalContext().register(this);
    }

    /** Used by {@code scripts/ikr} and tests: the same wiring with a chosen clock. */
    public DestructorHandler(DestructorConfig config, AwsClients clients, Clock clock) {
        this(config, DestructorWiring.destructor(config, clients, clock), clients);
    }

    /** With a destructor built elsewhere (the handler's tests). */
    DestructorHandler(DestructorConfig config, Destructor destructor) {
        this(config, destructor, null);
    }

    private DestructorHandler(DestructorConfig config, Destructor destructor, AwsClients clients) {
        this.config = config;
        this.destructor = destructor;
        this.clients = clients;
    }

    /** SnapStart: warm what the first invocation needs (no AWS call is made). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        if (clients != null) {
            Priming.prime(clients, new MessageRenderer());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: credentials and connections are fetched and opened per request
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event == null || event.getRecords() == null
                ? List.of() : event.getRecords();
        List<StreamChange> changes = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            changes.add(StreamRecords.read(records.get(i), i));
        }
        List<DeletionOutcome> outcomes = destructor.process(changes, InvokedAccount.id(config.accountId(), context));
        List<BatchItemFailure> failures = new ArrayList<>();
        var counts = new TreeMap<String, Integer>();
        for (DeletionOutcome outcome : outcomes) {
            counts.merge(outcome.result().code(), 1, Integer::sum);
            if (outcome.result().retryByStream()) {
                failures.add(BatchItemFailure.builder().withItemIdentifier(sequenceNumberOf(records, outcome)).build());
            }
        }
        LOG.info("batch finished", Map.of("records", records.size(), "counts", counts,
                "retriedByStream", failures.size()));
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * The identifier Lambda expects for a DynamoDB stream failure: the record's sequence number
     * (its event id when the record has none, which only a malformed record lacks).
     */
    private static String sequenceNumberOf(List<DynamodbEvent.DynamodbStreamRecord> records, DeletionOutcome outcome) {
        for (int i = 0; i < records.size(); i++) {
            var record = records.get(i);
            String eventId = record.getEventID() == null || record.getEventID().isBlank()
                    ? "record-" + i : record.getEventID();
            if (eventId.equals(outcome.eventId())) {
                return record.getDynamodb() != null && record.getDynamodb().getSequenceNumber() != null
                        ? record.getDynamodb().getSequenceNumber() : eventId;
            }
        }
        return outcome.eventId();
    }
}
