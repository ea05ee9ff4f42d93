package dev.ikr.destructor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ikr.aws.AwsCallCounter;
import dev.ikr.aws.AwsClients;
import dev.ikr.config.DestructorConfig;
import dev.ikr.domain.StreamChange;
import dev.ikr.log.JsonLog;
import dev.ikr.message.MessageRenderer;
import dev.ikr.metrics.FunctionMetrics;
import dev.ikr.rotation.AccountDestructors;
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
 * {@code batchItemFailures} (partial batch response), so one bad record never blocks or loses the others. An item
 * that names a member account is handled under that account's member role ({@link AccountDestructors}).
 * It writes the batch's metrics ({@link FunctionMetrics}) before it answers.
 */
public final class DestructorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse>, Resource {

    private static final JsonLog LOG = JsonLog.forClass(DestructorHandler.class);

    private final DestructorConfig config;
    private final AccountDestructors destructors;
    private final AwsCallCounter callCounter;
    private final AwsClients clients;
    private final FunctionMetrics metrics;

    /**
     * Used by Lambda: configuration from the environment, validated once, clients built once; with
     * SnapStart, the clients are primed before the snapshot.
     */
    public DestructorHandler() {
        this(DestructorConfig.from(System.getenv()), new AwsClients(), Clock.systemUTC());
        Core.getGlobalContext().register(this);
    }

    /** Used by tests: the same wiring with a chosen clock; metrics on standard output, as in Lambda. */
    public DestructorHandler(DestructorConfig config, AwsClients clients, Clock clock) {
        this(config, clients, clock, FunctionMetrics.toStandardOutput(config.metricsNamespace()));
    }

    /** Used by {@code scripts/ikr}: the same wiring with a chosen clock and metrics. */
    public DestructorHandler(DestructorConfig config, AwsClients clients, Clock clock, FunctionMetrics metrics) {
        this(config, DestructorWiring.destructors(config, clients, DestructorWiring.members(config, clients), clock),
                clients.callCounter(), clients, metrics);
    }

    /** With a destructor built elsewhere (the handler's tests), for every account: no AWS calls to count. */
    DestructorHandler(DestructorConfig config, Destructor destructor, FunctionMetrics metrics) {
        this(config, new AccountDestructors(account -> destructor), new AwsCallCounter(), null, metrics);
    }

    private DestructorHandler(DestructorConfig config, AccountDestructors destructors, AwsCallCounter callCounter,
            AwsClients clients, FunctionMetrics metrics) {
        this.config = config;
        this.destructors = destructors;
        this.callCounter = callCounter;
        this.clients = clients;
        this.metrics = metrics;
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
        FunctionMetrics.Invocation invocation = metrics.start(context);
        Map<String, Long> callsBefore = callCounter.snapshot();
        List<DynamodbEvent.DynamodbStreamRecord> records = event == null || event.getRecords() == null
                ? List.of() : event.getRecords();
        List<StreamChange> changes = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            changes.add(StreamRecords.read(records.get(i), i));
        }
        List<DeletionOutcome> outcomes;
        try {
            outcomes = destructors.process(changes, InvokedAccount.id(config.accountId(), context));
        } catch (RuntimeException | Error batchFailed) {
            invocation.destructorBatchFailed(callCounter.since(callsBefore));
            throw batchFailed;
        }
        invocation.destructorBatch(outcomes, callCounter.since(callsBefore));
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
