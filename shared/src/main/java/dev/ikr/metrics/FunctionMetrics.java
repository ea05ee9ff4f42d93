package dev.ikr.metrics;

import com.amazonaws.services.lambda.runtime.Context;
import dev.ikr.domain.MetricNamespace;
import dev.ikr.rotation.AccountRun;
import dev.ikr.rotation.Action;
import dev.ikr.rotation.DeletionOutcome;
import dev.ikr.rotation.DispatchSummary;
import dev.ikr.rotation.RunSummary;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The CloudWatch metrics of one invocation of a function, written as one EMF line when it ends, with the dimension
 * {@code FunctionName}. Every constant of the outcome's enum is counted, zero included, so an alarm sees 0 rather
 * than missing data; a constant added to the enum becomes a metric with no change here ({@code UNVERIFIED_RECORD} is
 * counted as {@code UnverifiedRecord}). Only names and numbers are written: no user, key id, reason or secret.
 */
public final class FunctionMetrics {

    public static final String DIMENSION = "FunctionName";
    /** The KMS keys' outcomes are counted as the users' are, each name prefixed: {@code KmsKeyRotated}. */
    static final String KMS_KEY_PREFIX = "KmsKey";
    /** The dimension's value when the invocation has no context (a local run without one). */
    static final String UNKNOWN_FUNCTION = "unknown";
    private static final Pattern FUNCTION_NAME = Pattern.compile("[\\x21-\\x7e]{1,1024}");

    private final MetricNamespace namespace;
    private final EmfWriter writer;
    private final Clock clock;

    /** Writes to {@code out}, timing with {@code clock}, which also dates each document. */
    public FunctionMetrics(MetricNamespace namespace, PrintStream out, Clock clock) {
        this(namespace, new EmfWriter(out, clock), clock);
    }

    private FunctionMetrics(MetricNamespace namespace, EmfWriter writer, Clock clock) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.writer = writer;
        this.clock = clock;
    }

    /** To standard output as it is at each write, with the system clock: what Lambda's log stream reads. */
    public static FunctionMetrics toStandardOutput(MetricNamespace namespace) {
        return new FunctionMetrics(namespace, new EmfWriter(() -> System.out, Clock.systemUTC()), Clock.systemUTC());
    }

    /** To standard error, for {@code scripts/ikr}, whose standard output holds the command's result. */
    public static FunctionMetrics toStandardError(MetricNamespace namespace) {
        return new FunctionMetrics(namespace, new EmfWriter(() -> System.err, Clock.systemUTC()), Clock.systemUTC());
    }

    /** Starts timing an invocation; {@code context} names the function ({@value #UNKNOWN_FUNCTION} without one). */
    public Invocation start(Context context) {
        String name = context == null ? null : context.getFunctionName();
        return new Invocation(name != null && FUNCTION_NAME.matcher(name).matches() ? name : UNKNOWN_FUNCTION,
                clock.instant());
    }

    /**
     * One count per constant of {@code type}, in declaration order, zero for a constant {@code counts} lacks.
     *
     * @param <E> the outcome's enum
     */
    static <E extends Enum<E>> List<Metric> countEach(Class<E> type, Map<E, ? extends Number> counts) {
        List<Metric> metrics = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            Number count = counts.get(constant);
            metrics.add(Metric.count(metricName(constant), count == null ? 0 : count.longValue()));
        }
        return metrics;
    }

    /** {@code NEEDS_ATTENTION} → {@code NeedsAttention}. */
    static String metricName(Enum<?> constant) {
        var name = new StringBuilder();
        for (String word : constant.name().split("_")) {
            if (!word.isEmpty()) {
                name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return name.toString();
    }

    private static long total(Map<String, Long> awsCalls) {
        return awsCalls.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One invocation, from {@link #start} to the one write that ends it. */
    public final class Invocation {

        private final String functionName;
        private final Instant startedAt;

        private Invocation(String functionName, Instant startedAt) {
            this.functionName = functionName;
            this.startedAt = startedAt;
        }

        /**
         * A rotator run that returned its summary: a count per {@link Action}, {@code AwsCalls}, {@code RunDuration}
         * and {@code RunFailed} (1 when a user failed, so the run ends in error).
         *
         * @param awsCalls the run's AWS calls by action name
         */
        public void rotatorRun(RunSummary summary, Map<String, Long> awsCalls) {
            List<Metric> metrics = countEach(Action.class, summary.counts());
            if (summary.kmsKeys().isPresent()) {
                countEach(Action.class, summary.kmsCounts()).forEach(count -> metrics.add(
                        Metric.count(KMS_KEY_PREFIX + count.name(), count.value())));
            }
            metrics.addAll(closing(awsCalls, summary.anyFailed()));
            write(metrics);
        }

        /** A rotator run that ended in an exception before it had a summary: no counts, {@code RunFailed} 1. */
        public void rotatorRunFailed(Map<String, Long> awsCalls) {
            write(closing(awsCalls, true));
        }

        /**
         * A dispatch run ({@code ACCOUNTS} not {@code self}): {@code AccountsSent}, {@code AccountsNotSent} (the run
         * then ends in error: {@code RunFailed} 1), {@code AwsCalls}, {@code RunDuration}.
         */
        public void dispatch(DispatchSummary summary, Map<String, Long> awsCalls) {
            List<Metric> metrics = new ArrayList<>(List.of(Metric.count("AccountsSent", summary.sent().size()),
                    Metric.count("AccountsNotSent", summary.notSent().size())));
            metrics.addAll(closing(awsCalls, summary.anyNotSent()));
            write(metrics);
        }

        /**
         * One account's message, by the worker: a count per {@link Action} of its run (zero when it did not run),
         * {@code AccountFailed} (1 when the account is reported: its role could not be assumed, its run failed, its
         * continuations ran out or the message was refused), {@code AccountContinued} (1 when it sent itself a
         * continuation), {@code AwsCalls}, {@code RunDuration}, and {@code RunFailed} (an account failure or a failed
         * user).
         */
        public void accountRun(AccountRun run, Map<String, Long> awsCalls) {
            List<Metric> metrics = countEach(Action.class,
                    run.summary().map(RunSummary::counts).orElse(new EnumMap<>(Action.class)));
            metrics.add(Metric.count("AccountFailed", run.result().failure() ? 1 : 0));
            metrics.add(Metric.count("AccountContinued", run.result() == AccountRun.Result.CONTINUED ? 1 : 0));
            metrics.addAll(closing(awsCalls, run.result().failure()
                    || run.summary().map(RunSummary::anyFailed).orElse(false)));
            write(metrics);
        }

        /** A destructor batch: a count per {@link DeletionOutcome.Result}, {@code AwsCalls}, {@code RunDuration}. */
        public void destructorBatch(List<DeletionOutcome> outcomes, Map<String, Long> awsCalls) {
            var counts = new EnumMap<DeletionOutcome.Result, Integer>(DeletionOutcome.Result.class);
            outcomes.forEach(outcome -> counts.merge(outcome.result(), 1, Integer::sum));
            List<Metric> metrics = countEach(DeletionOutcome.Result.class, counts);
            metrics.addAll(closing(awsCalls, false));
            write(metrics);
        }

        /** A destructor batch that ended in an exception (Lambda delivers it again): {@code RunFailed} 1. */
        public void destructorBatchFailed(Map<String, Long> awsCalls) {
            write(closing(awsCalls, true));
        }

        private List<Metric> closing(Map<String, Long> awsCalls, boolean failed) {
            long millis = Math.max(0, Duration.between(startedAt, clock.instant()).toMillis());
            return List.of(Metric.count("AwsCalls", total(awsCalls)), Metric.milliseconds("RunDuration", millis),
                    Metric.count("RunFailed", failed ? 1 : 0));
        }

        private void write(List<Metric> metrics) {
            writer.write(namespace, DIMENSION, functionName, metrics);
        }
    }
}
