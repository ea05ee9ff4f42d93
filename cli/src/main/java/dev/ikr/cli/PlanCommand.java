package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.config.RotatorConfig;
import dev.ikr.rotation.Rotator;
import dev.ikr.rotator.RotatorWiring;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ikr plan}: what a rotator run would do, per user, changing nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print what a rotator run would do for each tagged user, without changing anything"
                + " (read-only IAM and DynamoDB calls only).",
        footer = {"", "Example:", "  scripts/ikr plan --now 2027-03-01 | jq '.users[] | select(.action==\"would_rotate\")'"})
final class PlanCommand implements Callable<Integer> {

    @Option(names = "--now", paramLabel = "ISO-8601", description = "The time to plan for (instant or date).")
    String now;

    @Override
    public Integer call() {
        var config = RotatorConfig.from(System.getenv());
        var clients = new AwsClients();
        var rotator = RotatorWiring.rotator(config, clients, LocalRun.clock(Optional.ofNullable(now)));
        String account = LocalRun.context("ikr-rotator", clients).getInvokedFunctionArn().split(":")[4];
        var before = clients.callCounter().snapshot();
        var summary = rotator.run(config.accountId().orElse(account), Rotator.Mode.PLAN);
        LocalRun.print(summary.toResponse(clients.callCounter().since(before)));
        return 0;
    }
}
