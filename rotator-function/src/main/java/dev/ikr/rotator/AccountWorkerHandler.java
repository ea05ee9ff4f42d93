package dev.ikr.rotator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ikr.aws.AccountMessages;
import dev.ikr.aws.AwsClients;
import dev.ikr.aws.MemberAccounts;
import dev.ikr.config.RotatorConfig;
import dev.ikr.domain.AccountWork;
import dev.ikr.domain.MemberRole;
import dev.ikr.log.JsonLog;
import dev.ikr.message.MessageRenderer;
import dev.ikr.metrics.FunctionMetrics;
import dev.ikr.rotation.AccountRun;
import dev.ikr.rotation.AccountWorker;
import dev.ikr.rotation.Rotator;
import dev.ikr.util.Lazy;
import dev.ikr.wiring.Mailers;
import dev.ikr.wiring.Priming;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.crac.Core;
import org.crac.Resource;

/**
 * The rotator's queue worker ({@code ACCOUNTS} other than {@code self}): each SQS message names one account, which is
 * rotated under its member role by the same {@link Rotator} as a single-account run ({@link AccountWorker}), with its
 * own summary, log line and metrics line. Messages whose account must be tried again (its role could not be assumed,
 * its run failed, its continuation was not sent) are returned as {@code batchItemFailures}, so SQS delivers them
 * again (and, after the queue's redrive limit, to its dead-letter queue); every other message of the batch completes.
 */
public final class AccountWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

    private static final JsonLog LOG = JsonLog.forClass(AccountWorkerHandler.class);

    private final AwsClients clients;
    private final Clock clock;
    private final FunctionMetrics metrics;
    /** The member accounts' clients and the worker, built on first use and kept while the function is warm. */
    private final Lazy<AccountWorker> worker;

    /** Used by Lambda: configuration from the environment, validated once, clients built once. */
    public AccountWorkerHandler() {
        this(RotatorConfig.from(System.getenv()), new AwsClients(), Clock.systemUTC());
        Core.getGlobalContext().register(this);
    }

    /** Used by tests: the same wiring with a chosen clock; metrics on standard output, as in Lambda. */
    public AccountWorkerHandler(RotatorConfig config, AwsClients clients, Clock clock) {
        this(config, clients, clock, FunctionMetrics.toStandardOutput(config.metricsNamespace()));
    }

    /** Used by {@code scripts/ikr}: the same wiring with a chosen clock and metrics. */
    public AccountWorkerHandler(RotatorConfig config, AwsClients clients, Clock clock, FunctionMetrics metrics) {
        this.clients = clients;
        this.clock = clock;
        this.metrics = metrics;
        this.worker = Lazy.of(() -> RotatorWiring.worker(config,
                new MemberAccounts(clients, config.accounts().memberRole(), MemberRole.ROTATOR_SESSION),
                RotatorWiring.table(config, clients), Mailers.create(config.mail(), clients),
                RotatorWiring.queue(config, clients), clock));
    }

    /** SnapStart: warm what the first invocation needs (no AWS call is made). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.prime(clients, new MessageRenderer());
        clients.sts();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: credentials and connections are fetched and opened per request
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSEvent.SQSMessage> messages = event == null || event.getRecords() == null ? List.of()
                : event.getRecords();
        List<BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : messages) {
            AccountRun run = run(context, () -> {
                AccountWork work;
                try {
                    work = AccountMessages.read(message.getBody());
                } catch (IllegalArgumentException unreadable) {
                    return AccountWorker.unreadable(unreadable.getMessage());
                }
                return worker.get().run(work, timeLeft(context));
            }).run();
            if (run.retry()) {
                failures.add(BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        LOG.info("batch finished", Map.of("messages", messages.size(), "retried", failures.size()));
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * Rotates one account now, in this process, as a message for it would ({@code scripts/ikr invoke rotator
     * --account}): no continuation is needed outside Lambda's time limit.
     *
     * @return the account's summary
     */
    public Map<String, Object> runAccount(String account, Context context) {
        return run(context, () -> worker.get().run(AccountWork.first(account, clock.instant()), timeLeft(context)))
                .response();
    }

    /** One account's run, its calls counted, its summary logged and its metrics line written. */
    private Finished run(Context context, Supplier<AccountRun> account) {
        FunctionMetrics.Invocation invocation = metrics.start(context);
        Map<String, Long> before = clients.callCounter().snapshot();
        AccountRun run = account.get();
        Map<String, Long> calls = clients.callCounter().since(before);
        invocation.accountRun(run, calls);
        Map<String, Object> response = run.toResponse(calls);
        var logged = new java.util.LinkedHashMap<String, Object>(response);
        logged.remove("users");
        LOG.write(run.result().failure() ? JsonLog.Level.ERROR : JsonLog.Level.INFO, "account finished", logged);
        return new Finished(run, response);
    }

    private static Rotator.TimeLeft timeLeft(Context context) {
        return context == null ? Rotator.TimeLeft.UNLIMITED
                : () -> Duration.ofMillis(context.getRemainingTimeInMillis());
    }

    private record Finished(AccountRun run, Map<String, Object> response) {
    }
}
