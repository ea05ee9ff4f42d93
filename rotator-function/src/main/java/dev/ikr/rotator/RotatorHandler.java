package dev.ikr.rotator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.aws.AwsCallCounter;
import dev.ikr.aws.AwsClients;
import dev.ikr.config.RotatorConfig;
import dev.ikr.log.JsonLog;
import dev.ikr.message.MessageRenderer;
import dev.ikr.metrics.FunctionMetrics;
import dev.ikr.rotation.AccountDispatch;
import dev.ikr.rotation.Adoption;
import dev.ikr.rotation.DispatchSummary;
import dev.ikr.rotation.Rotator;
import dev.ikr.rotation.RunSummary;
import dev.ikr.util.Lazy;
import dev.ikr.wiring.InvokedAccount;
import dev.ikr.wiring.Priming;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.crac.Core;
import org.crac.Resource;

/**
 * The rotator Lambda, invoked by the EventBridge schedule. Thin: it reads the account from the
 * function's ARN, runs the {@link Rotator} and returns its summary; when a user failed it ends in
 * error, carrying the same summary. Either way, and when the run itself throws, it writes the run's
 * metrics ({@link FunctionMetrics}) first. Invoked by a person with {@code {"action": "adopt", "dryRun": true|false}},
 * it adopts the original project's table items instead ({@link Adoption}): only its role may seal items. With
 * {@code ACCOUNTS} other than {@code self}, the scheduled run only sends one message per account to the queue
 * ({@link AccountDispatch}); {@link AccountWorkerHandler} rotates each account.
 */
public final class RotatorHandler implements RequestHandler<Map<String, Object>, Map<String, Object>>, Resource {

    private static final JsonLog LOG = JsonLog.forClass(RotatorHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RotatorConfig config;
    private final Rotator rotator;
    private final AwsCallCounter callCounter;
    private final AwsClients clients;
    private final Supplier<Adoption> adoption;
    private final FunctionMetrics metrics;
    /** With {@code ACCOUNTS} other than {@code self}: the run only sends one message per account to the queue. */
    private final Supplier<AccountDispatch> dispatch;

    /**
     * Used by Lambda: configuration from the environment, validated once, clients built once; with
     * SnapStart, the clients are primed before the snapshot.
     */
    public RotatorHandler() {
        this(RotatorConfig.from(System.getenv()), new AwsClients(), Clock.systemUTC());
        Core.getGlobalContext().register(this);
    }

    /** Used by tests: the same wiring with a chosen clock; metrics on standard output, as in Lambda. */
    public RotatorHandler(RotatorConfig config, AwsClients clients, Clock clock) {
        this(config, clients, clock, FunctionMetrics.toStandardOutput(config.metricsNamespace()));
    }

    /** Used by {@code scripts/ikr invoke rotator --now}: the same wiring with a chosen clock and metrics. */
    public RotatorHandler(RotatorConfig config, AwsClients clients, Clock clock, FunctionMetrics metrics) {
        this(config, RotatorWiring.rotator(config, clients, clock), clients.callCounter(), clients, metrics,
                Lazy.of(() -> RotatorWiring.adoption(config, clients)),
                Lazy.of(() -> RotatorWiring.dispatch(config, clients, clock)));
    }

    /** With a rotator built elsewhere (the demo's, tests'): no adoption. */
    public RotatorHandler(RotatorConfig config, Rotator rotator, AwsCallCounter callCounter, FunctionMetrics metrics) {
        this(config, rotator, callCounter, null, metrics, () -> {
            throw new IllegalStateException("this handler was built without adoption");
        }, () -> {
            throw new IllegalStateException("this handler was built without a queue of accounts");
        });
    }

    private RotatorHandler(RotatorConfig config, Rotator rotator, AwsCallCounter callCounter, AwsClients clients,
            FunctionMetrics metrics, Supplier<Adoption> adoption, Supplier<AccountDispatch> dispatch) {
        this.config = config;
        this.rotator = rotator;
        this.callCounter = callCounter;
        this.clients = clients;
        this.adoption = adoption;
        this.metrics = metrics;
        this.dispatch = dispatch;
    }

    /** SnapStart: warm what the first invocation needs (no AWS call is made). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        if (clients != null) {
            Priming.prime(clients, new MessageRenderer());
            if (config.deliveryBounds().anyOn()) {
                Priming.primeDeliveryTargets(clients);
            }
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: credentials and connections are fetched and opened per request
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        if (AdoptRequest.isAdopt(event)) {
            Adoption.Report report = adoption.get().adopt(AdoptRequest.dryRun(event));
            return report.toResponse();
        }
        if (!config.accounts().selection().isSelf()) {
            return dispatch(context);
        }
        FunctionMetrics.Invocation invocation = metrics.start(context);
        Map<String, Long> callsBefore = callCounter.snapshot();
        Rotator.TimeLeft timeLeft = context == null ? Rotator.TimeLeft.UNLIMITED
                : () -> java.time.Duration.ofMillis(context.getRemainingTimeInMillis());
        RunSummary summary;
        try {
            summary = rotator.run(InvokedAccount.id(config.accountId(), context), Rotator.Mode.APPLY, timeLeft);
        } catch (RuntimeException | Error runFailed) {
            invocation.rotatorRunFailed(callCounter.since(callsBefore));
            throw runFailed;
        }
        Map<String, Long> calls = callCounter.since(callsBefore);
        invocation.rotatorRun(summary, calls);
        Map<String, Object> response = summary.toResponse(calls);
        LOG.info("run finished", Map.of("counts", response.get("counts"),
                "totalAwsCalls", response.get("totalAwsCalls")));
        if (summary.anyFailed()) {
            long failed = summary.users().stream().filter(user -> user.action() == dev.ikr.rotation.Action.FAILED)
                    .count();
            int failedKeys = summary.kmsCounts().getOrDefault(dev.ikr.rotation.Action.FAILED, 0);
            throw new RotationRunFailedException(failed + " user(s)" + (failedKeys > 0 ? " and " + failedKeys
                    + " KMS key(s)" : "") + " failed; every other user" + (summary.kmsKeys().isPresent()
                    ? " and key" : "") + " was handled; summary: " + toJson(response), response);
        }
        return response;
    }

    /**
     * Sends one message per selected account to the queue; ends in error, with the summary, when an account could
     * not be sent (or the accounts could not be listed), so Lambda's errors and the alarms see it.
     */
    private Map<String, Object> dispatch(Context context) {
        FunctionMetrics.Invocation invocation = metrics.start(context);
        Map<String, Long> callsBefore = callCounter.snapshot();
        DispatchSummary summary;
        try {
            summary = dispatch.get().dispatch();
        } catch (RuntimeException | Error runFailed) {
            invocation.rotatorRunFailed(callCounter.since(callsBefore));
            throw runFailed;
        }
        Map<String, Long> calls = callCounter.since(callsBefore);
        invocation.dispatch(summary, calls);
        Map<String, Object> response = summary.toResponse(calls);
        LOG.info("dispatch finished", Map.of("accountsSent", summary.sent().size(),
                "accountsNotSent", summary.notSent().size(), "totalAwsCalls", response.get("totalAwsCalls")));
        if (summary.anyNotSent()) {
            throw new RotationRunFailedException(summary.notSent().size() + " account(s) could not be sent to the"
                    + " queue; every other account was sent; summary: " + toJson(response), response);
        }
        return response;
    }

    private static String toJson(Map<String, Object> response) {
        try {
            return JSON.writeValueAsString(response);
        } catch (JsonProcessingException e) {
            return String.valueOf(response.get("counts"));
        }
    }
}
