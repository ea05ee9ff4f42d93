package dev.ikr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.cli.rotateself.KeyPair;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyResponse;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code scripts/ikr rotate-self} against moto: twice as a user runs it (a child process), the other cases in this
 * JVM through the same picocli command line, which is as real but takes a tenth of a second instead of seconds.
 */
@ExtendWith(MotoExtension.class)
class RotateSelfIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path IKR = Path.of("..", "scripts", "ikr").toAbsolutePath().normalize();
    private static final String USER = "ci-deployer";

    private final Moto moto = Moto.shared();
    private final TestAccount account = new TestAccount(moto);

    @TempDir
    Path home;
    private Path credentials;
    private KeyPair old;
    private String original;

    @BeforeEach
    void setUp() throws IOException {
        account.createUser(USER, Map.of());
        old = newKey(USER);
        credentials = home.resolve("credentials");
        original = """
                # work laptop
                [default]
                aws_access_key_id = AKIAIOSFODNN7EXAMPLE
                aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

                ; the CI user's key, rotated weekly
                [ci]
                region = us-east-1
                aws_access_key_id = %s
                aws_secret_access_key = %s
                output = json

                [profile ci]
                aws_access_key_id = AKIAIOSFODNN7EXAMPLF
                """.formatted(old.accessKeyId(), old.secretAccessKey());
        Files.writeString(credentials, original);
    }

    @Test
    void rotatesTheProfilesKey_inTheCredentialsFile_keepingEveryOtherByte_andDeletesTheOldKey() throws Exception {
        Result result = process(Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString(), "AWS_PROFILE", "ci"),
                "rotate-self");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode summary = JSON.readTree(result.stdout());
        String newId = summary.path("newAccessKeyId").asText();
        KeyPair written = CredentialsFile.read(credentials).keyPair("ci");
        assertThat(written.accessKeyId()).isEqualTo(newId).isNotEqualTo(old.accessKeyId());
        assertThat(summary.path("user").asText()).isEqualTo(USER);
        assertThat(summary.path("oldAccessKeyId").asText()).isEqualTo(old.accessKeyId());
        assertThat(summary.path("writtenTo").asText()).isEqualTo("credentials-file:" + credentials + "#ci");
        assertThat(summary.path("oldKey").asText()).isEqualTo("deleted");
        assertThat(result.stdout()).as("the summary holds no secret").doesNotContain(written.secretAccessKey());
        assertThat(Files.readString(credentials)).isEqualTo(original
                .replace(old.accessKeyId(), written.accessKeyId())
                .replace(old.secretAccessKey(), written.secretAccessKey()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        assertThat(callerArn(written)).endsWith(":user/" + USER);
        assertThat(account.keyIds(USER)).containsExactly(newId);
    }

    @Test
    void outputEnv_printsOnlyExportLinesAShellCanEval_theSummaryGoesToStandardError_andKeepOldDeactivates()
            throws Exception {
        Result result = process(Map.of(), "rotate-self", "--credentials-file", credentials.toString(),
                "--profile", "ci", "--output", "env", "--keep-old");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).matches("export AWS_ACCESS_KEY_ID=AKIA[A-Z0-9]+\n"
                + "export AWS_SECRET_ACCESS_KEY=[A-Za-z0-9+/=]+\n");
        Process shell = new ProcessBuilder("bash", "-c", "eval \"$1\"; printf '%s %s' \"$AWS_ACCESS_KEY_ID\""
                + " \"$AWS_SECRET_ACCESS_KEY\"", "eval", result.stdout()).start();
        String[] evaluated = read(shell.getInputStream()).split(" ");
        var printed = new KeyPair(evaluated[0], evaluated[1]);
        assertThat(callerArn(printed)).endsWith(":user/" + USER);
        String summaryLine = result.stderr().lines().filter(line -> line.contains("\"message\":\"rotate-self\""))
                .findFirst().orElseThrow();
        assertThat(JSON.readTree(summaryLine).path("newAccessKeyId").asText()).isEqualTo(printed.accessKeyId());
        assertThat(JSON.readTree(summaryLine).path("oldKey").asText()).isEqualTo("inactive");
        assertThat(result.stderr()).doesNotContain(printed.secretAccessKey());
        assertThat(Files.readString(credentials)).as("the file is not rewritten").isEqualTo(original);
        assertThat(account.keys(USER)).anySatisfy(key -> {
            assertThat(key.accessKeyId()).isEqualTo(old.accessKeyId());
            assertThat(key.status()).isEqualTo(StatusType.INACTIVE);
        });
    }

    @Test
    void twoActiveKeys_areRefused_exitOne_andNothingChanges() throws IOException {
        String other = account.createKey(USER);

        Result result = inProcess("--credentials-file", credentials.toString(), "--profile", "ci");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("two active keys").contains(other).contains("nothing was changed");
        assertThat(result.stdout()).isEmpty();
        assertThat(account.keyIds(USER)).containsExactlyInAnyOrder(old.accessKeyId(), other);
        assertThat(Files.readString(credentials)).isEqualTo(original);
    }

    @Test
    void anInactiveSecondKey_isDeletedToMakeRoom() throws IOException {
        String spare = account.createKey(USER);
        account.deactivateKey(USER, spare);

        Result result = inProcess("--credentials-file", credentials.toString(), "--profile", "ci");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(JSON.readTree(result.stdout()).path("removedInactiveKeyId").asText()).isEqualTo(spare);
        assertThat(account.keyIds(USER)).containsExactly(CredentialsFile.read(credentials).keyPair("ci")
                .accessKeyId());
    }

    @Test
    void aSecretsManagerTarget_getsANewVersionEachTime_soTheFirstNewKeyStaysAsAwsPrevious() throws IOException {
        Result first = inProcess("--credentials-file", credentials.toString(), "--profile", "ci",
                "--deliver-to", "secretsmanager:ci/deployer");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        JsonNode firstKey = JSON.readTree(secretValue("AWSCURRENT"));
        // a CI job reads its key from the secret before the next rotation
        Files.writeString(credentials, "[ci]\naws_access_key_id = " + firstKey.path("AccessKeyId").asText()
                + "\naws_secret_access_key = " + firstKey.path("SecretAccessKey").asText() + "\n");
        Result second = inProcess("--credentials-file", credentials.toString(), "--profile", "ci",
                "--deliver-to", "secretsmanager:ci/deployer");

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        JsonNode secondKey = JSON.readTree(secretValue("AWSCURRENT"));
        assertThat(JSON.readTree(secretValue("AWSPREVIOUS"))).isEqualTo(firstKey);
        assertThat(secondKey.path("AccessKeyId").asText())
                .isEqualTo(JSON.readTree(second.stdout()).path("newAccessKeyId").asText());
        assertThat(secondKey.path("UserName").asText()).isEqualTo(USER);
        assertThat(Instant.parse(secondKey.path("CreateDate").asText())).isBefore(Instant.now().plusSeconds(60));
        assertThat(callerArn(new KeyPair(secondKey.path("AccessKeyId").asText(),
                secondKey.path("SecretAccessKey").asText()))).endsWith(":user/" + USER);
        assertThat(JSON.readTree(second.stdout()).path("writtenTo").asText())
                .startsWith("secretsmanager:arn:aws:secretsmanager:us-east-1:").contains(":secret:ci/deployer");
        assertThat(second.stdout()).doesNotContain(secondKey.path("SecretAccessKey").asText());
        assertThat(account.keyIds(USER)).containsExactly(secondKey.path("AccessKeyId").asText());
    }

    @Test
    void anSsmTarget_holdsTheKeyAsASecureString_andTheFileIsNotRewritten() throws IOException {
        Result result = inProcess("--credentials-file", credentials.toString(), "--profile", "ci",
                "--deliver-to", "ssm:/ci/deployer/key");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(account.parameterType("/ci/deployer/key")).contains("SecureString");
        JsonNode key = JSON.readTree(account.parameter("/ci/deployer/key").orElseThrow());
        assertThat(key.path("AccessKeyId").asText()).isEqualTo(JSON.readTree(result.stdout())
                .path("newAccessKeyId").asText());
        assertThat(JSON.readTree(result.stdout()).path("writtenTo").asText()).isEqualTo("ssm:/ci/deployer/key");
        assertThat(Files.readString(credentials)).isEqualTo(original);
        assertThat(account.keyIds(USER)).containsExactly(key.path("AccessKeyId").asText());
    }

    @Test
    void aSecretsManagerWriteThatFails_deletesTheNewKey_andKeepsTheOldOneActive() throws IOException {
        Result result = inProcess("--credentials-file", credentials.toString(), "--profile", "ci", "--deliver-to",
                "secretsmanager:arn:aws:secretsmanager:us-east-1:" + Moto.ACCOUNT_ID + ":secret:missing-AbCdEf");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("the new key was not written").contains("deleted again");
        assertThat(account.keys(USER)).singleElement().satisfies(key -> {
            assertThat(key.accessKeyId()).isEqualTo(old.accessKeyId());
            assertThat(key.status()).isEqualTo(StatusType.ACTIVE);
        });
        assertThat(Files.readString(credentials)).isEqualTo(original);
    }

    @Test
    void aCredentialsFileEditedWhileTheNewKeyWasMade_isNotOverwritten_andTheNewKeyIsDeleted() throws IOException {
        String edited = original + "[added-meanwhile]\n";
        ExecutionInterceptor editor = new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (context.response() instanceof CreateAccessKeyResponse) {
                    try {
                        Files.writeString(credentials, edited);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };

        Result result = inProcess(command -> command.interceptors = List.of(editor),
                "--credentials-file", credentials.toString(), "--profile", "ci");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("changed since rotate-self read it").contains("deleted again");
        assertThat(Files.readString(credentials)).isEqualTo(edited);
        assertThat(account.keyIds(USER)).containsExactly(old.accessKeyId());
    }

    @Test
    void malformedTargetsAndOptions_exitTwo_andCreateNothing() {
        SecretsManagerClient secrets = account.aws().build(SecretsManagerClient.builder());
        for (List<String> options : List.of(List.of("--deliver-to", "lambda:deliver-keys"),
                List.of("--deliver-to", "vault:ci"), List.of("--deliver-to", "secretsmanager:"),
                List.of("--deliver-to", "secretsmanager:ci deployer"), List.of("--deliver-to", "ssm:ci/deployer"),
                List.of("--deliver-to", "secretsmanager:arn:aws:secretsmanager:us-east-1:1:secret:x"),
                List.of("--deliver-to", "ssm:/ci", "--output", "env"), List.of("--output", "yaml"))) {
            var args = new ArrayList<>(List.of("--credentials-file", credentials.toString(), "--profile", "ci"));
            args.addAll(options);

            Result result = inProcess(args.toArray(String[]::new));

            assertThat(result.exitCode()).as("%s: %s", options, result.stderr()).isEqualTo(2);
            assertThat(result.stdout()).isEmpty();
        }
        assertThat(account.keyIds(USER)).containsExactly(old.accessKeyId());
        assertThat(secrets.listSecrets().secretList()).isEmpty();
        assertThat(account.parameter("/ci")).isEmpty();
    }

    @Test
    void assumedRolesTemporaryCredentialsAndMissingProfiles_areRefused_exitTwo() throws IOException {
        var aws = account.aws();
        String role = aws.iam().createRole(request -> request.roleName("deploy").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                        + "\"Action\":\"sts:AssumeRole\"}]}")).role().arn();
        var assumed = aws.build(StsClient.builder())
                .assumeRole(request -> request.roleArn(role).roleSessionName("ci")).credentials();
        Files.writeString(credentials, original + """
                [assumed]
                aws_access_key_id = %s
                aws_secret_access_key = %s
                aws_session_token = %s

                [assumed-without-token]
                aws_access_key_id = %1$s
                aws_secret_access_key = %2$s
                """.formatted(assumed.accessKeyId(), assumed.secretAccessKey(), assumed.sessionToken()));

        Result withToken = inProcess("--credentials-file", credentials.toString(), "--profile", "assumed");
        Result withoutToken = inProcess("--credentials-file", credentials.toString(),
                "--profile", "assumed-without-token");
        Result missing = inProcess("--credentials-file", credentials.toString(), "--profile", "nobody");

        assertThat(withToken.exitCode()).isEqualTo(2);
        assertThat(withToken.stderr()).contains("temporary credentials (aws_session_token)");
        assertThat(withoutToken.exitCode()).isEqualTo(2);
        assertThat(withoutToken.stderr()).contains("an assumed role").contains("is not an IAM user's");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("profile nobody is not in");
        assertThat(account.keyIds(USER)).containsExactly(old.accessKeyId());
    }

    private KeyPair newKey(String user) {
        var created = account.aws().iam().createAccessKey(request -> request.userName(user)).accessKey();
        return new KeyPair(created.accessKeyId(), created.secretAccessKey());
    }

    private String callerArn(KeyPair key) {
        return account.aws().build(StsClient.builder().credentialsProvider(AwsKeySessions.credentials(key)))
                .getCallerIdentity().arn();
    }

    private String secretValue(String stage) {
        return account.aws().build(SecretsManagerClient.builder())
                .getSecretValue(request -> request.secretId("ci/deployer").versionStage(stage)).secretString();
    }

    private Result inProcess(String... args) {
        return inProcess(command -> { }, args);
    }

    /** {@code ikr rotate-self ARGS} through {@link IkrCli}'s command line, in this JVM, with no environment. */
    private Result inProcess(Consumer<RotateSelfCommand> setUp, String... args) {
        CommandLine cli = IkrCli.commandLine();
        RotateSelfCommand command = cli.getSubcommands().get("rotate-self").getCommand();
        command.environment = Map.of();
        setUp.accept(command);
        var out = new StringWriter();
        var err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        var all = new ArrayList<String>();
        all.add("rotate-self");
        all.addAll(List.of(args));
        int exitCode = cli.execute(all.toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** {@code scripts/ikr ARGS} as a child process, against moto, with {@code variables} added. */
    private Result process(Map<String, String> variables, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(IKR.toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.remove("AWS_PROFILE");
        env.remove("AWS_SHARED_CREDENTIALS_FILE");
        env.putAll(moto.awsEnvironment());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOME", home.toString());
        env.putAll(new HashMap<>(variables));
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String stdout = read(process.getInputStream());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("scripts/ikr finished").isTrue();
        return new Result(process.exitValue(), stdout, stderr.join());
    }

    private static String read(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }
}
