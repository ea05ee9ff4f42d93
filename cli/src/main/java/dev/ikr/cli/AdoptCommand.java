package dev.ikr.cli;

import dev.ikr.aws.AwsClients;
import dev.ikr.config.RotatorConfig;
import dev.ikr.rotator.RotatorHandler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ikr adopt}: the rotator's adoption of the original project's table items, run in this process. */
@Command(name = "adopt", mixinStandardHelpOptions = true,
        description = "Switching from the original project: check each table item that carries no seal against IAM"
                + " (the user carries IKR:EMAIL, the key exists, the user has another active key) and seal those that"
                + " pass as pending deletions in favour of that other key. Prints the adopted and the refused items;"
                + " exits 1 when any was refused. Runs the rotator's handler in this process, with your credentials:"
                + " on AWS only the rotator's role may use the record key, so invoke the function instead (see the"
                + " README's switching guide).",
        footer = {"", "Example:", "  scripts/ikr adopt --dry-run | jq .refused"})
final class AdoptCommand implements Callable<Integer> {

    @Option(names = "--dry-run", description = "Check and report only; seal nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        var config = RotatorConfig.from(System.getenv());
        var clients = new AwsClients();
        var handler = new RotatorHandler(config, clients, Clock.systemUTC());
        Map<String, Object> response = handler.handleRequest(Map.of("action", "adopt", "dryRun", dryRun),
                LocalRun.context("ikr-rotator", clients));
        LocalRun.print(response);
        return response.get("refused") instanceof List<?> refused && !refused.isEmpty() ? IkrCli.RUN_FAILED : 0;
    }
}
