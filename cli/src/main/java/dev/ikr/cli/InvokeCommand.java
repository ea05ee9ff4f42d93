package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.config.DestructorConfig;
import dev.ikr.config.RotatorConfig;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.metrics.FunctionMetrics;
import dev.ikr.rotator.AccountWorkerHandler;
import dev.ikr.rotator.RotationRunFailedException;
import dev.ikr.rotator.RotatorHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ikr invoke <function>}: runs a real handler class in this process with a Lambda event. */
@Command(name = "invoke", mixinStandardHelpOptions = true,
        description = "Run a function's real handler in this process, with the process environment, and print"
                + " its JSON response.",
        subcommands = {InvokeCommand.Rotator.class, InvokeCommand.Destructor.class})
final class InvokeCommand {

    @Command(name = "rotator", mixinStandardHelpOptions = true,
            description = "Run the rotator handler once (as the EventBridge schedule would) and print its summary."
                    + " Exits 1 when a user failed (the summary is still printed).",
            footer = {"", "Example:", "  IAM_KEY_ROTATOR_TABLE=iam-key-rotator MAIL_FROM=ikr@example.com \\",
                    "    scripts/ikr invoke rotator --now 2027-03-01T00:00:00Z | jq .users"})
    static final class Rotator implements Callable<Integer> {

        @Option(names = "--event", paramLabel = "FILE", description = "The event JSON (default: a scheduled event).")
        Path event;

        @Option(names = "--now", paramLabel = "ISO-8601",
                description = "The time the rotator sees (instant or date; for demos and tests, never in Lambda).")
        String now;

        @Option(names = "--account", paramLabel = "ID", description = "Rotate this one account now, in this process,"
                + " as the queue worker would (under its member role with ACCOUNTS other than self), and print its"
                + " summary. An id ACCOUNTS does not select is refused (exit 2).")
        String account;

        @Override
        public Integer call() throws Exception {
            var config = RotatorConfig.from(System.getenv());
            var clients = new AwsClients();
            if (account != null) {
                var context = LocalRun.context("ikr-rotator", clients);
                String own = context.getInvokedFunctionArn().split(":")[4];
                AccountChoice.accounts(account, config, clients, own);
                if (!config.accounts().selection().isSelf()) {
                    Map<String, Object> summary = new AccountWorkerHandler(config, clients,
                            LocalRun.clock(Optional.ofNullable(now)),
                            FunctionMetrics.toStandardError(config.metricsNamespace())).runAccount(account, context);
                    LocalRun.print(summary);
                    boolean failed = !List.of("completed", "continued").contains(summary.get("result"))
                            || summary.get("counts") instanceof Map<?, ?> counts && counts.containsKey("failed");
                    return failed ? IkrCli.RUN_FAILED : 0;
                }
            }
            var handler = new RotatorHandler(config, clients, LocalRun.clock(Optional.ofNullable(now)),
                    FunctionMetrics.toStandardError(config.metricsNamespace()));
            Map<String, Object> input = LocalRun.readEvent(Optional.ofNullable(event), "scheduled-event.json");
            try {
                LocalRun.print(handler.handleRequest(input, LocalRun.context("ikr-rotator", clients)));
                return 0;
            } catch (RotationRunFailedException failed) {
                LocalRun.print(failed.summary());
                System.err.println("ikr: " + failed.getMessage().split("; summary:")[0]);
                return IkrCli.RUN_FAILED;
            }
        }
    }

    @Command(name = "destructor", mixinStandardHelpOptions = true,
            description = "Run the destructor handler once with a DynamoDB stream event and print its response"
                    + " (the batchItemFailures the stream would deliver again). Exits 1 when there are any.",
            footer = {"", "Example:", "  scripts/ikr invoke destructor --event remove-event.json | jq .batchItemFailures"})
    static final class Destructor implements Callable<Integer> {

        @Option(names = "--event", paramLabel = "FILE", required = true,
                description = "The DynamoDB stream event JSON, as Lambda delivers it.")
        Path event;

        @Option(names = "--now", paramLabel = "ISO-8601", description = "The time the destructor sees.")
        String now;

        @Override
        public Integer call() throws Exception {
            var config = DestructorConfig.from(System.getenv());
            var clients = new AwsClients();
            var handler = new DestructorHandler(config, clients, LocalRun.clock(Optional.ofNullable(now)),
                    FunctionMetrics.toStandardError(config.metricsNamespace()));
            var response = handler.handleRequest(StreamEvents.read(event), LocalRun.context("ikr-destructor", clients));
            var failures = response.getBatchItemFailures().stream()
                    .map(failure -> Map.of("itemIdentifier", failure.getItemIdentifier())).toList();
            LocalRun.print(Map.of("batchItemFailures", failures));
            return failures.isEmpty() ? 0 : IkrCli.RUN_FAILED;
        }
    }
}
