package dev.ikr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ikr.aws.AwsClients;
import dev.ikr.cli.rotateself.KeyDestination;
import dev.ikr.cli.rotateself.KeyPair;
import dev.ikr.cli.rotateself.SelfRotation;
import dev.ikr.cli.rotateself.SelfRotationOutcome;
import dev.ikr.cli.rotateself.SelfRotationOutcome.Rotated;
import dev.ikr.config.ConfigurationException;
import dev.ikr.domain.DeliveryTarget;
import dev.ikr.log.JsonLog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** {@code ikr rotate-self}: an IAM user (a laptop, a CI job) replaces its own access key. */
@Command(name = "rotate-self", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replace the access key of a profile of your credentials file with a new key of the same IAM"
                + " user: the user is the one STS names for the profile's key (roles, assumed roles, root and"
                + " temporary credentials are refused). If the user already has two keys, an inactive one that is"
                + " not the profile's is deleted first; two active keys are refused.",
                "Order: create the new key, wait (up to 30 s) until AWS accepts it, write it to exactly one place,"
                + " then deactivate the old key and delete it. A new key that never works or is not written is"
                + " deleted again and the old key stays active. Every call up to the write, the write included, is"
                + " signed with the profile's own (old) key, so the user needs rights on its own keys (and on the"
                + " target); the old key deactivates itself and the new key deletes it.",
                "Prints a JSON summary {user, oldAccessKeyId, newAccessKeyId, writtenTo, oldKey} on standard"
                + " output; with --output it goes to standard error as a log line instead, and standard output"
                + " holds the key alone. Exit 0: rotated; 1: refused or failed (the message says what changed);"
                + " 2: a usage or profile error, nothing changed."},
        footer = {"", "Examples:",
                "  scripts/ikr rotate-self --profile ci-deployer",
                "  scripts/ikr rotate-self --deliver-to secretsmanager:ci/deployer",
                "  eval \"$(scripts/ikr rotate-self --output env)\""})
final class RotateSelfCommand implements Callable<Integer> {

    private static final JsonLog LOG = JsonLog.forClass(RotateSelfCommand.class);
    /** IAM is global; STS answers in every region: the region used when none is configured. */
    private static final Region IAM_REGION = Region.US_EAST_1;

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "The profile whose key is rotated (default: AWS_PROFILE, else default).")
    String profile;

    @Option(names = "--credentials-file", paramLabel = "PATH", description = "The credentials file"
            + " (default: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials).")
    Path credentialsFile;

    @Option(names = "--deliver-to", paramLabel = "TARGET", converter = DeliveryTargetConverter.class,
            description = "Write the new key here instead of the credentials file: secretsmanager:<name or ARN>"
                    + " (a new version: the previous key stays AWSPREVIOUS; the secret is created if a name"
                    + " names none) or ssm:<parameter name> (a SecureString, overwritten). The document is"
                    + " {\"UserName\", \"AccessKeyId\", \"SecretAccessKey\", \"CreateDate\"}.")
    DeliveryTarget deliverTo;

    @Option(names = "--output", paramLabel = "env|json", description = "Print the new key instead of writing it:"
            + " env, export lines for eval; json, the same document as --deliver-to writes.")
    String output;

    @Option(names = "--keep-old", description = "Leave the old key inactive instead of deleting it.")
    boolean keepOld;

    /** The environment the defaults come from; tests set their own. */
    Map<String, String> environment = System.getenv();
    /** Extra SDK interceptors after the call counter; tests inject faults this way. */
    List<ExecutionInterceptor> interceptors = List.of();

    @Override
    public Integer call() {
        Optional<Boolean> printedAsJson = printedAsJson();
        if (printedAsJson.isPresent() && deliverTo != null) {
            throw new ParameterException(spec.commandLine(), "--deliver-to and --output are mutually exclusive:"
                    + " the new key goes to exactly one place");
        }
        String profileName = profile != null ? profile : CredentialsFile.defaultProfile(environment);
        Path file = credentialsFile != null ? credentialsFile
                : CredentialsFile.defaultPath(environment, System.getProperty("user.home"));
        CredentialsFile credentials = CredentialsFile.read(file);
        KeyPair current = credentials.keyPair(profileName);
        Optional<Region> configured = configuredRegion(profileName);
        var clients = new AwsClients(interceptors);

        KeyDestination destination;
        if (printedAsJson.isPresent()) {
            destination = KeyDestinations.printed(spec.commandLine().getOut(), printedAsJson.get());
        } else if (deliverTo instanceof DeliveryTarget.Secret secret) {
            Region region = secret.arnRegion().map(Region::of).or(() -> configured)
                    .orElseThrow(() -> noRegion("secret " + secret.id()));
            destination = KeyDestinations.secret(clients.build(SecretsManagerClient.builder()
                    .credentialsProvider(AwsKeySessions.credentials(current)).region(region)), secret,
                    () -> UUID.randomUUID().toString());
        } else if (deliverTo instanceof DeliveryTarget.Parameter parameter) {
            Region region = configured.orElseThrow(() -> noRegion("parameter " + parameter.name()));
            destination = KeyDestinations.parameter(clients.build(SsmClient.builder()
                    .credentialsProvider(AwsKeySessions.credentials(current)).region(region)), parameter);
        } else {
            destination = KeyDestinations.credentialsFile(credentials, profileName);
        }

        var rotation = new SelfRotation(new AwsKeySessions(clients, configured.orElse(IAM_REGION)));
        return report(rotation.rotate(current, destination, keepOld), printedAsJson.isPresent());
    }

    /** Empty without {@code --output}; else whether it is json (true) or env (false). */
    private Optional<Boolean> printedAsJson() {
        if (output == null) {
            return Optional.empty();
        }
        return switch (output) {
            case "json" -> Optional.of(true);
            case "env" -> Optional.of(false);
            default -> throw new ParameterException(spec.commandLine(), "--output takes env or json, not '"
                    + output + "'");
        };
    }

    private int report(SelfRotationOutcome outcome, boolean keyOnStandardOutput) {
        return switch (outcome) {
            case Rotated rotated -> {
                summary(rotated, keyOnStandardOutput);
                yield 0;
            }
            case SelfRotationOutcome.NotUsable notUsable -> throw new ConfigurationException(notUsable.reason());
            case SelfRotationOutcome.Refused refused -> failed(refused.reason());
            case SelfRotationOutcome.RolledBack rolledBack -> failed(rolledBack.reason());
            case SelfRotationOutcome.BothKeysKept bothKept -> failed(bothKept.reason());
            case SelfRotationOutcome.OldKeyNotRetired partly -> {
                summary(partly.rotated(), keyOnStandardOutput);
                yield failed(partly.reason());
            }
        };
    }

    private int failed(String reason) {
        spec.commandLine().getErr().println("ikr: " + reason);
        spec.commandLine().getErr().flush();
        return IkrCli.RUN_FAILED;
    }

    /** On standard output, or, when that holds the key, as a log line on standard error. Never holds a secret. */
    private void summary(Rotated rotated, boolean keyOnStandardOutput) {
        var summary = new LinkedHashMap<String, Object>();
        summary.put("user", rotated.user());
        summary.put("oldAccessKeyId", rotated.oldKeyId());
        summary.put("newAccessKeyId", rotated.newKeyId());
        summary.put("writtenTo", rotated.writtenTo());
        summary.put("oldKey", rotated.oldKey().label());
        rotated.removedInactiveKeyId().ifPresent(id -> summary.put("removedInactiveKeyId", id));
        if (keyOnStandardOutput) {
            LOG.info("rotate-self", summary);
            return;
        }
        try {
            spec.commandLine().getOut().println(LocalRun.JSON.writeValueAsString(summary));
            spec.commandLine().getOut().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the summary could not be written as JSON", e);
        }
    }

    /**
     * The region from {@code aws.region}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION} (the AWS CLI's) or the
     * profile's {@code region} in the config file; never from the instance metadata service.
     */
    private Optional<Region> configuredRegion(String profileName) {
        try {
            return Optional.of(new AwsRegionProviderChain(new SystemSettingsRegionProvider(),
                    () -> Optional.ofNullable(environment.get("AWS_DEFAULT_REGION")).filter(name -> !name.isBlank())
                            .map(Region::of).orElse(null),
                    new AwsProfileRegionProvider(ProfileFile::defaultProfileFile, profileName)).getRegion());
        } catch (RuntimeException none) {
            return Optional.empty();
        }
    }

    private static ConfigurationException noRegion(String what) {
        return new ConfigurationException("no region for the " + what + ": set AWS_REGION, or region in the"
                + " profile's section of ~/.aws/config");
    }
}
