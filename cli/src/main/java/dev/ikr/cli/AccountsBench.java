package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.config.RotatorConfig;
import dev.ikr.local.LocalContext;
import dev.ikr.local.MotoServer;
import dev.ikr.metrics.FunctionMetrics;
import dev.ikr.rotator.AccountWorkerHandler;
import dev.ikr.rotator.RotatorHandler;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * {@code scripts/bench --accounts K}: K member accounts of N users each (T = N/10 tagged, R = T/10 due), rotated twice
 * over against one moto: once walking the accounts one after the other in one process, once fanned out as in AWS (the
 * scheduled run sends one message per account to an SQS queue, and C workers, each with clients of its own as
 * separate Lambda instances would have, consume it one message at a time). Prints each account's AWS calls and time in
 * both, the totals, and the per-account budget ({@code ceil(N/1000) + 7R + 13}).
 */
final class AccountsBench {

    private static final String TABLE = "iam-key-rotator";
    private static final String SENDER = "ikr@example.com";
    private static final Duration LATER = Duration.ofDays(40);

    private final int accounts;
    private final int concurrency;
    private final PrintStream out;

    AccountsBench(int accounts, int concurrency, PrintStream out) {
        if (accounts < 1 || concurrency < 1) {
            throw new IllegalArgumentException("--accounts and --concurrency must be at least 1");
        }
        this.accounts = accounts;
        this.concurrency = concurrency;
        this.out = out;
    }

    /** One size: seeds 2K accounts (K for each way), runs both, prints the table. */
    void measure(int n, BenchCommand.Seeder seeder) throws Exception {
        int tagged = Math.max(1, n / 10);
        int due = Math.max(1, tagged / 10);
        long budget = (n + 999) / 1000 + 7L * due + 13;
        try (MotoServer moto = MotoServer.start()) {
            moto.useForThisJvm();
            var setup = new AwsClients();
            String recordKey = new DemoTable(setup).create(TABLE);
            setup.ses().verifyEmailIdentity(request -> request.emailAddress(SENDER));
            SqsClient sqs = setup.build(SqsClient.builder());
            String queue = sqs.createQueue(request -> request.queueName("ikr-accounts")).queueUrl();
            List<String> walked = ids(100_000_000_000L);
            List<String> fanned = ids(200_000_000_000L);
            for (String account : concat(walked, fanned)) {
                seeder.seed(member(setup, account).iam(), n, tagged, due);
            }
            // a first run warms the JVM (class loading, JIT), so that neither way pays for it
            String warmUp = "300000000001";
            seeder.seed(member(setup, warmUp).iam(), 10, 1, 1);
            sequential(List.of(warmUp), config(List.of(warmUp), recordKey, queue));

            Map<String, Run> sequential = sequential(walked, config(walked, recordKey, queue));
            long sequentialWall = sequential.values().stream().mapToLong(Run::millis).sum();
            long fanStart = System.nanoTime();
            Map<String, Run> fanOut = fanOut(config(fanned, recordKey, queue), sqs, queue);
            long fanWall = (System.nanoTime() - fanStart) / 1_000_000;

            out.printf("N=%d users per account (T=%d tagged, R=%d due), K=%d accounts, fan-out concurrency C=%d;"
                    + " per-account budget ceil(N/1000) + 7R + 13 = %d calls%n", n, tagged, due, accounts,
                    concurrency, budget);
            out.printf("%-4s | %-28s | %-28s%n", "#", "sequential: account calls ms", "fan-out: account calls ms");
            long[] totals = new long[4];
            boolean within = true;
            for (int i = 0; i < accounts; i++) {
                Run walk = sequential.get(walked.get(i));
                Run fan = fanOut.getOrDefault(fanned.get(i), new Run(0, 0, "not run"));
                out.printf("%-4d | %s %5d %6d | %s %5d %6d %s%n", i + 1, walked.get(i), walk.calls(), walk.millis(),
                        fanned.get(i), fan.calls(), fan.millis(), fan.result().equals("completed") ? "" : fan.result());
                totals[0] += walk.calls();
                totals[1] += walk.millis();
                totals[2] += fan.calls();
                totals[3] += fan.millis();
                within &= walk.calls() <= budget && fan.calls() <= budget;
            }
            out.printf("%-4s | %-12s %5d %6d | %-12s %5d %6d%n", "sum", "", totals[0], totals[1], "", totals[2],
                    totals[3]);
            out.printf("wall: sequential %d ms, fan-out %d ms (dispatch and %d workers: %.1fx); every account within"
                    + " its budget: %s%n%n", sequentialWall, fanWall, concurrency,
                    (double) sequentialWall / Math.max(1, fanWall), within ? "yes" : "NO");
        }
    }

    /** The accounts one after the other, in one process with one set of clients. */
    private Map<String, Run> sequential(List<String> ids, RotatorConfig config) {
        var clients = new AwsClients();
        var worker = new AccountWorkerHandler(config, clients, Clock.offset(Clock.systemUTC(), LATER), quiet(config));
        var runs = new LinkedHashMap<String, Run>();
        for (String account : ids) {
            Map<String, Long> before = clients.callCounter().snapshot();
            long start = System.nanoTime();
            Map<String, Object> summary = worker.runAccount(account, context());
            long calls = clients.callCounter().since(before).values().stream().mapToLong(Long::longValue).sum();
            runs.put(account, new Run(calls, (System.nanoTime() - start) / 1_000_000,
                    String.valueOf(summary.get("result"))));
        }
        return runs;
    }

    /** The scheduled run's dispatch, then C workers taking one message at a time until the queue is empty. */
    private Map<String, Run> fanOut(RotatorConfig config, SqsClient sqs, String queue) throws Exception {
        new RotatorHandler(config, new AwsClients(), Clock.offset(Clock.systemUTC(), LATER), quiet(config))
                .handleRequest(Map.of(), context());
        var driver = new AccountQueueDriver(sqs, queue);
        Map<String, Run> runs = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(pool.submit(() -> {
                var clients = new AwsClients();
                var worker = new AccountWorkerHandler(config, clients, Clock.offset(Clock.systemUTC(), LATER),
                        quiet(config));
                while (true) {
                    Map<String, Long> before = clients.callCounter().snapshot();
                    long start = System.nanoTime();
                    AccountQueueDriver.Delivery delivery = driver.deliverOnce(worker, context(), 1);
                    if (delivery.bodies().isEmpty()) {
                        return null;
                    }
                    long calls = clients.callCounter().since(before).values().stream().mapToLong(Long::longValue)
                            .sum();
                    String account = dev.ikr.aws.AccountMessages.read(delivery.bodies().getFirst()).account();
                    runs.merge(account, new Run(calls, (System.nanoTime() - start) / 1_000_000,
                            delivery.retried().isEmpty() ? "completed" : "retried"), Run::plus);
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return runs;
    }

    private List<String> ids(long base) {
        var ids = new ArrayList<String>();
        for (int i = 1; i <= accounts; i++) {
            ids.add(Long.toString(base + i));
        }
        return ids;
    }

    /** Clients that act in {@code account} (moto lets any role be assumed), to seed it. */
    private static AwsClients member(AwsClients setup, String account) {
        return setup.withCredentials(StsAssumeRoleCredentialsProvider.builder().stsClient(setup.sts())
                .refreshRequest(request -> request.roleArn("arn:aws:iam::" + account
                        + ":role/OrganizationAccountAccessRole").roleSessionName("ikr-bench"))
                .build());
    }

    private static RotatorConfig config(List<String> accounts, String recordKey, String queue) {
        var env = new HashMap<String, String>(Map.of("IAM_KEY_ROTATOR_TABLE", TABLE, "MAIL_FROM", SENDER,
                "ACCOUNT_ID", MotoServer.ACCOUNT_ID, "RECORD_KMS_KEY_ID", recordKey,
                "ACCOUNTS", String.join(",", accounts), "ACCOUNT_QUEUE_URL", queue));
        return RotatorConfig.from(env);
    }

    /** The metrics lines go nowhere: the bench prints its own figures. */
    private static FunctionMetrics quiet(RotatorConfig config) {
        return new FunctionMetrics(config.metricsNamespace(), new PrintStream(PrintStream.nullOutputStream()),
                Clock.systemUTC());
    }

    private static LocalContext context() {
        return LocalContext.forAccount("ikr", MotoServer.REGION, MotoServer.ACCOUNT_ID);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        var all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** An account's calls and time (a continued account's messages added up). */
    private record Run(long calls, long millis, String result) {

        Run plus(Run next) {
            return new Run(calls + next.calls, millis + next.millis, next.result);
        }
    }
}
