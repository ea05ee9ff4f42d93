package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.config.RotatorConfig;
import dev.ikr.local.LocalContext;
import dev.ikr.local.MotoServer;
import dev.ikr.metrics.FunctionMetrics;
import dev.ikr.rotator.RotationRunFailedException;
import dev.ikr.rotator.RotatorHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Tag;

/** {@code ikr bench}: AWS calls, wall time, heap, jar sizes and cold starts, side by side with the naive pattern. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark against a local moto: for each account size N (T = N/10 tagged users, R = T/10 due),"
                + " seed the account, run the original project's read pattern (ListUsers, ListUserTags for every"
                + " user, ListAccessKeys for every tagged user) and a real IKR rotation, and print AWS calls and"
                + " wall time side by side, the peak heap, the Lambda jars' sizes and each function's cold start."
                + " With --accounts K: K member accounts of N users each, rotated walking the accounts one after the"
                + " other and fanned out on an SQS queue to --concurrency workers; each account's AWS calls and time"
                + " in both, the totals, and the per-account budget.",
        footer = {"", "Examples:", "  IKR_JAVA_OPTS=-Xmx256m scripts/ikr bench --sizes 100,1000,5000",
                "  scripts/bench --accounts 4 --sizes 1000 --concurrency 4"})
final class BenchCommand implements Callable<Integer> {

    private static final String TABLE = "iam-key-rotator";
    private static final String SENDER = "ikr@example.com";

    @Option(names = "--sizes", split = ",", defaultValue = "100,1000,5000",
            description = "Account sizes N to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--seed-threads", defaultValue = "16", description = "Parallel calls while seeding.")
    int seedThreads;

    @Option(names = "--accounts", paramLabel = "K", defaultValue = "0",
            description = "Measure K member accounts of N users each, sequential and fanned out (0: one account).")
    int accounts;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "4",
            description = "With --accounts: the workers consuming the queue at once, as the mapping's"
                    + " maximum_concurrency allows (default: ${DEFAULT-VALUE}).")
    int concurrency;

    /** Seeds one account's users (the bench's own pattern, shared by both modes). */
    interface Seeder {
        void seed(IamClient iam, int n, int tagged, int due) throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        if (accounts > 0) {
            var bench = new AccountsBench(accounts, concurrency, System.out);
            for (int n : sizes) {
                bench.measure(n, this::seed);
            }
            return 0;
        }
        System.out.printf("%-6s %-5s %-4s | %-17s | %-22s | %s%n", "N", "T", "R", "calls naive / IKR",
                "wall naive / IKR (x)", "peak heap (IKR run)");
        for (int n : sizes) {
            measure(n);
        }
        Path root = Path.of(System.getProperty("ikr.root", "."));
        for (String function : List.of("rotator", "destructor")) {
            Path jar = root.resolve(function + "-function/target/" + function + "-function-0.1.0-SNAPSHOT-lambda.jar");
            System.out.printf("%s jar: %.1f MB; cold start (JVM start to first response, fresh process): %s ms%n",
                    function, Files.size(jar) / 1048576.0, coldStart(function, jar, root));
        }
        return 0;
    }

    private void measure(int n) throws Exception {
        int tagged = Math.max(1, n / 10);
        int due = Math.max(1, tagged / 10);
        try (MotoServer moto = MotoServer.start()) {
            moto.useForThisJvm();
            var setup = new AwsClients();
            seed(setup.iam(), n, tagged, due);
            String recordKey = new DemoTable(setup).create(TABLE);
            setup.ses().verifyEmailIdentity(request -> request.emailAddress(SENDER));

            var naiveClients = new AwsClients();
            long naiveStart = System.nanoTime();
            naive(naiveClients.iam());
            long naiveMillis = (System.nanoTime() - naiveStart) / 1_000_000;
            long naiveCalls = naiveClients.callCounter().snapshot().values().stream().mapToLong(Long::longValue).sum();

            var ikrClients = new AwsClients();
            var config = RotatorConfig.from(Map.of("IAM_KEY_ROTATOR_TABLE", TABLE, "MAIL_FROM", SENDER,
                    "ACCOUNT_ID", MotoServer.ACCOUNT_ID, "RECORD_KMS_KEY_ID", recordKey));
            var handler = new RotatorHandler(config, ikrClients,
                    Clock.offset(Clock.systemUTC(), Duration.ofDays(40)),
                    FunctionMetrics.toStandardError(config.metricsNamespace()));
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            long ikrStart = System.nanoTime();
            Map<String, Object> summary;
            try {
                summary = handler.handleRequest(Map.of(), LocalContext.forAccount("ikr", MotoServer.REGION,
                        MotoServer.ACCOUNT_ID));
            } catch (RotationRunFailedException failed) {
                summary = failed.summary();
            }
            long ikrMillis = (System.nanoTime() - ikrStart) / 1_000_000;
            long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP)
                    .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            long ikrCalls = ((Number) summary.get("totalAwsCalls")).longValue();
            System.out.printf("%-6d %-5d %-4d | %6d / %-8d | %6d / %6d ms (%.1f) | %d MB  %s%n", n, tagged, due,
                    naiveCalls, ikrCalls, naiveMillis, ikrMillis, (double) naiveMillis / Math.max(1, ikrMillis),
                    peakHeap / 1048576, summary.get("counts"));
        }
    }

    /** N users with one key each; T of them tagged; R of those due in 40 days (limit 30), the rest not (365). */
    private void seed(IamClient iam, int n, int tagged, int due) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(seedThreads);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String user = String.format("user%05d", i);
            List<Tag> tags = i >= tagged ? List.of(Tag.builder().key("team").value("platform").build())
                    : List.of(Tag.builder().key("IKR:EMAIL").value(user + "@example.com").build(),
                            Tag.builder().key("IKR:ROTATE_AFTER_DAYS").value(i < due ? "30" : "365").build());
            work.add(pool.submit(() -> {
                iam.createUser(request -> request.userName(user).tags(tags));
                iam.createAccessKey(request -> request.userName(user));
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
    }

    /** The original project's reads: every user, every user's tags, the keys of tagged users (sequential). */
    private static void naive(IamClient iam) {
        for (var user : iam.listUsersPaginator(request -> { }).users()) {
            boolean taggedUser = iam.listUserTagsPaginator(request -> request.userName(user.userName())).tags()
                    .stream().anyMatch(tag -> tag.key().equalsIgnoreCase("IKR:EMAIL"));
            if (taggedUser) {
                iam.listAccessKeys(request -> request.userName(user.userName()));
            }
        }
    }

    private static String coldStart(String function, Path jar, Path root) {
        try {
            Path cli = root.resolve("cli/target/ikr-cli.jar");
            var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", jar + java.io.File.pathSeparator + cli, ColdStart.class.getName(), function);
            try (MotoServer moto = MotoServer.start()) {
                moto.useForThisJvm();
                String recordKey = new DemoTable(new AwsClients()).create(TABLE);
                builder.environment().putAll(Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString(),
                        "AWS_REGION", MotoServer.REGION, "AWS_ACCESS_KEY_ID", "testing",
                        "AWS_SECRET_ACCESS_KEY", "testing", "IAM_KEY_ROTATOR_TABLE", TABLE, "MAIL_FROM", SENDER,
                        "ACCOUNT_ID", MotoServer.ACCOUNT_ID, "RECORD_KMS_KEY_ID", recordKey));
                builder.redirectError(ProcessBuilder.Redirect.DISCARD);
                Process process = builder.start();
                // the handler's metrics line comes first on standard output, as in Lambda; the time is the last line
                String out = new String(process.getInputStream().readAllBytes()).strip();
                out = out.substring(out.lastIndexOf('\n') + 1);
                process.waitFor(2, TimeUnit.MINUTES);
                return process.exitValue() == 0 ? out : "failed (exit " + process.exitValue() + ")";
            }
        } catch (Exception e) {
            return "failed (" + e.getMessage() + ")";
        }
    }
}
