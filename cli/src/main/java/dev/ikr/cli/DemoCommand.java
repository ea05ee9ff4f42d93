package dev.ikr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ikr.aws.AwsClients;
import dev.ikr.aws.IamDirectory;
import dev.ikr.config.DestructorConfig;
import dev.ikr.config.RotatorConfig;
import dev.ikr.crypto.Fernet;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.domain.AccessKey;
import dev.ikr.domain.MailMessage;
import dev.ikr.local.LocalContext;
import dev.ikr.local.MotoServer;
import dev.ikr.metrics.FunctionMetrics;
import dev.ikr.port.Mailer;
import dev.ikr.rotator.RotationRunFailedException;
import dev.ikr.rotator.RotatorHandler;
import dev.ikr.rotator.RotatorWiring;
import dev.ikr.wiring.Mailers;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ikr demo}: the whole life of a key against a local moto, in under a minute, leaving nothing running. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show the whole life of a key without an AWS account: start moto on a free port, deploy IKR"
                + " into it (with Terraform when it is installed, else the same table with the AWS SDK), tag three"
                + " users from a file, run the rotator 100 days ahead, show the mail a user received and decrypt it,"
                + " expire the old keys after their date, show each user's keys before and after, and stop moto.",
        footer = {"", "Example:", "  scripts/ikr demo"})
final class DemoCommand implements Callable<Integer> {

    private static final Pattern TOKEN = Pattern.compile("gAAAAA[A-Za-z0-9_=-]+");
    private static final String SENDER = "ikr@example.com";
    private static final String TABLE = "iam-key-rotator";
    private static final String ROTATOR_JAR = "rotator-function/target/rotator-function-0.1.0-SNAPSHOT-lambda.jar";
    private static final String DESTRUCTOR_JAR =
            "destructor-function/target/destructor-function-0.1.0-SNAPSHOT-lambda.jar";

    @Option(names = "--tags", paramLabel = "FILE",
            description = "The users and their tags (default: scripts/demo/iam-user-tags.json).")
    Path tagsFile;

    @Option(names = "--no-terraform", description = "Create the table with the AWS SDK even if terraform is installed.")
    boolean noTerraform;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        Path tags = tagsFile != null ? tagsFile
                : Path.of(System.getProperty("ikr.root", "."), "scripts", "demo", "iam-user-tags.json");
        Map<String, Map<String, String>> users = LocalRun.readUserTags(tags);
        step("Starting moto (a local AWS emulator) ...");
        try (MotoServer moto = MotoServer.start()) {
            moto.useForThisJvm();
            say("moto is listening on " + moto.endpoint());
            var clients = new AwsClients();
            String recordKey = deploy(clients, moto);
            clients.ses().verifyEmailIdentity(request -> request.emailAddress(SENDER));
            say("SES sender " + SENDER + " verified");

            step("Creating " + users.size() + " IAM users with one access key each, then tagging them from " + tags);
            for (String user : users.keySet()) {
                clients.iam().createUser(request -> request.userName(user));
                clients.iam().createAccessKey(request -> request.userName(user));
            }
            var report = TagUsersCommand.tag(clients.iam(), users, false, false);
            if (!report.valid()) {
                throw new IllegalArgumentException("the tags file is invalid: " + report.output());
            }
            users.forEach((user, userTags) -> say(user + ": " + userTags.keySet()));
            var before = keys(clients, users.keySet());
            printKeys("Keys before", before);

            Instant rotationTime = Instant.now().plus(Duration.ofDays(100));
            step("Running the rotator as if it were " + rotationTime + " (100 days from now)");
            Map<String, Object> env = Map.of();
            var config = RotatorConfig.from(functionEnv(recordKey));
            var sent = new java.util.concurrent.CopyOnWriteArrayList<MailMessage>();
            Mailer configured = Mailers.create(config.mail(), clients);
            Mailer showing = message -> {
                configured.send(message);
                sent.add(message);
            };
            var rotator = new RotatorHandler(config, RotatorWiring.rotator(config, clients, clockAt(rotationTime),
                    showing), clients.callCounter(), FunctionMetrics.toStandardError(config.metricsNamespace()));
            Map<String, Object> summary;
            try {
                summary = rotator.handleRequest(env, context());
            } catch (RotationRunFailedException failed) {
                summary = failed.summary();
            }
            for (JsonNode user : LocalRun.JSON.valueToTree(summary).path("users")) {
                say(user.path("user").asText() + ": " + user.path("action").asText() + " (" + user.path("reason").asText()
                        + ")");
            }

            Map.Entry<String, Map<String, String>> first = users.entrySet().iterator().next();
            String firstUser = first.getKey();
            String email = first.getValue().get("IKR:EMAIL");
            step("The mail " + email + " received");
            String body = showMail(sent, email);

            step("Decrypting it with the key in SSM, as `scripts/ikr decrypt --user " + firstUser + " ...` does");
            decrypt(clients, firstUser, body);

            Instant expiryTime = rotationTime.plus(Duration.ofDays(6));
            step("Expiring the table's items as DynamoDB's TTL would, as if it were " + expiryTime);
            var destructorConfig = DestructorConfig.from(functionEnv(recordKey));
            var destructor = new DestructorHandler(destructorConfig, clients, clockAt(expiryTime),
                    FunctionMetrics.toStandardError(destructorConfig.metricsNamespace()));
            var expiry = new Expiry(clients, TABLE).run(expiryTime, destructor, context());
            for (JsonNode entry : LocalRun.JSON.valueToTree(expiry).path("expired")) {
                say(entry.path("user").asText() + ": old key " + entry.path("keyId").asText()
                        + (entry.path("keyDeleted").asBoolean() ? " deleted" : " kept"));
            }
            printKeys("Keys after", keys(clients, users.keySet()));
            step("Stopping moto. Nothing is left running.");
        }
        return 0;
    }

    /** Deploys the module (or, without Terraform, the same table and record key); returns the record key's ARN. */
    private String deploy(AwsClients clients, MotoServer moto) throws java.io.IOException {
        Path repository = Path.of(System.getProperty("ikr.root", ".")).toAbsolutePath().normalize();
        var terraform = noTerraform ? java.util.Optional.<Path>empty() : TerraformDeploy.terraformOnPath();
        if (terraform.isPresent()) {
            step("Deploying the Terraform module (terraform/examples/complete) into moto; this takes about a minute");
            Path work = Files.createTempDirectory("ikr-demo-terraform-");
            try {
                var deployment = TerraformDeploy.prepare(terraform.get(), repository, work);
                deployment.apply(Map.of(
                        "aws_endpoint", moto.endpoint().toString(),
                        "rotator_jar_path", repository.resolve(ROTATOR_JAR).toString(),
                        "destructor_jar_path", repository.resolve(DESTRUCTOR_JAR).toString(),
                        "mail_from", SENDER,
                        "enable_snapstart", "false"));
                say("deployed: table " + TABLE + ", functions iam-key-creator and iam-key-destructor, their roles, the"
                        + " schedule and the stream mapping (moto stores the functions; the demo runs their handlers"
                        + " in this process)");
                return deployment.run("output", "-raw", "record_kms_key_arn").strip();
            } catch (IllegalStateException failed) {
                say("terraform failed (" + failed.getMessage().lines().findFirst().orElse("") + "); falling back to the"
                        + " AWS SDK");
            } finally {
                deleteQuietly(work);
            }
        }
        step(noTerraform ? "Creating the table with the AWS SDK (--no-terraform)"
                : "terraform is not installed: creating the same table with the AWS SDK instead");
        String recordKey = new DemoTable(clients).create(TABLE);
        say("table " + TABLE + ": key user/ak, TTL on delete_on, stream NEW_AND_OLD_IMAGES; record key " + recordKey);
        return recordKey;
    }

    /** Prints the text part of the mail sent to {@code email} (SES accepted it; moto keeps only its HTML part). */
    private String showMail(List<MailMessage> sent, String email) {
        for (MailMessage message : sent) {
            if (message.to().stream().anyMatch(to -> to.value().equals(email))) {
                out.println("  Subject: " + message.subject());
                message.text().lines().forEach(line -> out.println("  | " + line));
                return message.text();
            }
        }
        say("(no mail was sent to " + email + ")");
        return "";
    }

    private void decrypt(AwsClients clients, String user, String body) {
        Matcher tokens = TOKEN.matcher(body);
        if (!tokens.find()) {
            say("(the mail holds the secret in clear: ENCRYPT_KEY_PAIR is off)");
            return;
        }
        String accessKeyToken = tokens.group();
        String secretToken = tokens.find() ? tokens.group() : "";
        var key = new dev.ikr.aws.SsmSecretStore(clients.ssm()).userKey(user).orElseThrow();
        var fernet = new Fernet(Clock.systemUTC(), new SecureRandom());
        String secret = fernet.decrypt(key, secretToken);
        say("access key id " + fernet.decrypt(key, accessKeyToken) + ", secret access key " + secret.substring(0, 4)
                + "... (" + secret.length() + " characters; the demo does not print it whole)");
    }

    private static Map<String, List<AccessKey>> keys(AwsClients clients, Iterable<String> users) {
        var directory = new IamDirectory(clients.iam());
        var keys = new LinkedHashMap<String, List<AccessKey>>();
        users.forEach(user -> keys.put(user, directory.accessKeys(user)));
        return keys;
    }

    private void printKeys(String title, Map<String, List<AccessKey>> keys) {
        step(title);
        keys.forEach((user, list) -> say(user + ": " + (list.isEmpty() ? "no key" : String.join(", ",
                list.stream().map(key -> key.id() + " (" + key.status().name().toLowerCase() + ")").toList()))));
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(DemoCommand::deleteIfPossible);
        } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
            // a temporary directory; the system cleans it up
        }
    }

    /** Deletes one file or empty directory; one that cannot be deleted is left, as is the rest of the walk. */
    private static void deleteIfPossible(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (java.io.IOException ignored) {
            // a temporary directory; the system cleans it up
        }
    }

    private static Map<String, String> functionEnv(String recordKey) {
        return Map.of("IAM_KEY_ROTATOR_TABLE", TABLE, "MAIL_FROM", SENDER, "ACCOUNT_ID", MotoServer.ACCOUNT_ID,
                "RECORD_KMS_KEY_ID", recordKey);
    }

    private static LocalContext context() {
        return LocalContext.forAccount("ikr-demo", MotoServer.REGION, MotoServer.ACCOUNT_ID);
    }

    private static Clock clockAt(Instant at) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at));
    }

    private void step(String text) {
        out.println();
        out.println("==> " + text);
    }

    private void say(String text) {
        out.println("    " + text);
    }
}
