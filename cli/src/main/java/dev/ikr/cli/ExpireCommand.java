package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.config.DestructorConfig;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.metrics.FunctionMetrics;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ikr expire}: the local stand-in for DynamoDB's TTL. */
@Command(name = "expire", mixinStandardHelpOptions = true,
        description = "The local stand-in for DynamoDB TTL (moto never expires items): delete the pending deletions"
                + " whose delete_on has passed, read their REMOVE records from the table's stream, mark them as TTL"
                + " removals and deliver them to the real destructor handler in batches, as the event source mapping"
                + " would. Prints what expired and what became of each key. Against a real account, TTL does this.",
        footer = {"", "Example:", "  scripts/ikr expire --now 2027-03-20 | jq '.expired[] | {user, keyDeleted}'"})
final class ExpireCommand implements Callable<Integer> {

    @Option(names = "--now", paramLabel = "ISO-8601",
            description = "The time to expire at, and the time the destructor sees (instant or date).")
    String now;

    @Override
    public Integer call() {
        var config = DestructorConfig.from(System.getenv());
        var clients = new AwsClients();
        var clock = LocalRun.clock(Optional.ofNullable(now));
        var handler = new DestructorHandler(config, clients, clock,
                FunctionMetrics.toStandardError(config.metricsNamespace()));
        var result = new Expiry(clients, config.tableName())
                .run(clock.instant(), handler, LocalRun.context("ikr-destructor", clients));
        LocalRun.print(result);
        return ((java.util.List<?>) result.get("batchItemFailures")).isEmpty() ? 0 : IkrCli.RUN_FAILED;
    }
}
