package dev.ikr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code scripts/ikr}: the operator's commands. Results go to standard output (JSON), logs to standard error. */
@Command(name = "ikr", mixinStandardHelpOptions = true, version = "ikr 0.1.0",
        description = "IKR, the IAM Key Rotator: run and inspect the rotation locally or against an account.%n"
                + "AWS settings come from the usual variables (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, ...);"
                + " the functions' settings from theirs (IAM_KEY_ROTATOR_TABLE, MAIL_FROM, ...).",
        subcommands = {InvokeCommand.class, PlanCommand.class, ExpireCommand.class, TagUsersCommand.class,
                DecryptCommand.class, DemoCommand.class, BenchCommand.class, AdoptCommand.class,
                RotateSelfCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  scripts/ikr plan --now 2027-03-01T00:00:00Z",
                "  scripts/ikr invoke rotator | jq .counts",
                "  scripts/ikr rotate-self --profile ci-deployer"})
public final class IkrCli {

    /** Exit code of a run that finished but in which a user or record failed. */
    static final int RUN_FAILED = 1;
    /** Exit code of a configuration or usage error. */
    static final int CONFIGURATION_ERROR = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new IkrCli())
                .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
                    commandLine.getErr().println("ikr: " + error.getMessage());
                    return error instanceof dev.ikr.config.ConfigurationException ? CONFIGURATION_ERROR : RUN_FAILED;
                });
    }
}
