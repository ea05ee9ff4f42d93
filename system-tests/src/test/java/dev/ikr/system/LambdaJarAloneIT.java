package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.aws.AwsClients;
import dev.ikr.testbed.EmfLines;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * Each Lambda jar alone, as Lambda runs it: a JVM whose class path is the shaded jar, the runtime's event serializer
 * and nothing of ours but a small launcher ({@code lambda-jar-alone/Launcher.java}), which loads the handler class by
 * name, builds it with its no-arg constructor from environment variables and drives it with real event JSON. A class
 * or a service file the jar lacks fails here, not in the account.
 *
 * <p>The rotator needs a key older than a day, and moto dates a key when it creates it: this test starts its own moto
 * whose IAM dates everything 100 days back (the rest of AWS keeps the real time).
 */
class LambdaJarAloneIT {

    private static final String TABLE = "iam-key-rotator";
    private static final String SENDER = "ikr@example.com";
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "123456789012";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** moto_server with IAM's clock 100 days behind: a key created now is 100 days old to the rotator. */
    private static final String AGED_IAM_MOTO = """
            import datetime, sys
            import moto.iam.models as iam
            real = iam.utcnow
            iam.utcnow = lambda: real() - datetime.timedelta(days=100)
            from moto.server import main
            main(["-H", "127.0.0.1", "-p", sys.argv[1]])
            """;

    private static Process moto;
    private static URI endpoint;
    private static AwsClients aws;
    private static IamClient iam;
    private static DynamoDbClient dynamoDb;
    private static String recordKeyArn;

    @TempDir
    Path work;

    @BeforeAll
    static void startAgedMoto() throws IOException, InterruptedException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("moto-aged-iam-", ".log");
        log.toFile().deleteOnExit();
        moto = new ProcessBuilder("python3", "-c", AGED_IAM_MOTO, Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        endpoint = URI.create("http://127.0.0.1:" + port);
        awaitReady(log);
        aws = new AwsClients();
        iam = client(IamClient.builder());
        dynamoDb = client(DynamoDbClient.builder());
        SesClient ses = client(SesClient.builder());
        ses.verifyEmailIdentity(request -> request.emailAddress(SENDER));
        createTable();
        recordKeyArn = client(KmsClient.builder()).createKey(request -> request.description("IKR record key"))
                .keyMetadata().arn();
    }

    @AfterAll
    static void stopMoto() throws InterruptedException {
        if (moto != null) {
            moto.destroy();
            moto.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theRotatorJarAlone_rotatesADueKey_andTheDestructorJarAlone_deletesTheOldOneOnItsTtlRemoval()
            throws Exception {
        iam.createUser(request -> request.userName("alice")
                .tags(Tag.builder().key("IKR:EMAIL").value("alice@example.com").build()));
        String oldKey = iam.createAccessKey(request -> request.userName("alice")).accessKey().accessKeyId();

        Run rotator = launch("rotator-function", "dev.ikr.rotator.RotatorHandler",
                Files.readString(Path.of("..", "cli", "src", "main", "resources", "scheduled-event.json")));

        assertThat(rotator.exitCode()).as("the rotator's exit code; its standard error:%n%s", rotator.stderr()).isZero();
        assertThat(rotator.response().path("counts").toString()).contains("\"rotated\":1");
        assertThat(EmfLines.metrics(rotator.metrics())).containsEntry("Rotated", 1L).containsEntry("RunFailed", 0L);
        assertThat(rotator.metrics().path("FunctionName").asText()).isEqualTo("ikr-rotator");
        List<String> keys = keyIds("alice");
        assertThat(keys).hasSize(2).contains(oldKey);
        String newKey = keys.stream().filter(key -> !key.equals(oldKey)).findFirst().orElseThrow();
        Map<String, AttributeValue> pending = item("alice", oldKey);
        assertThat(pending.get("state").s()).isEqualTo("pending_deletion");
        assertThat(sentMailSubjects()).filteredOn(subject -> subject.contains("alice")).hasSize(1);

        dynamoDb.deleteItem(request -> request.tableName(TABLE).key(Map.of("user", AttributeValue.fromS("alice"),
                "ak", AttributeValue.fromS(oldKey))));
        Run destructor = launch("destructor-function", "dev.ikr.destructor.DestructorHandler", removedByTtl(pending));

        assertThat(destructor.exitCode()).as("the destructor's exit code; its standard error:%n%s", destructor.stderr())
                .isZero();
        assertThat(destructor.response().path("batchItemFailures")).isEmpty();
        assertThat(EmfLines.metrics(destructor.metrics())).containsEntry("Deleted", 1L).containsEntry("Failed", 0L);
        assertThat(keyIds("alice")).containsExactly(newKey);
        assertThat(dynamoDb.scan(request -> request.tableName(TABLE)).items())
                .filteredOn(item -> item.get("user").s().equals("alice"))
                .as("only where the new key went is left").singleElement()
                .satisfies(item -> assertThat(item.get("ak").s()).isEqualTo("#delivered"));
    }

    /**
     * The queue worker ({@code ACCOUNTS} other than {@code self}) from the rotator's jar alone, driven by an SQS event
     * as Lambda's event source mapping delivers it: it assumes the member role (STS), rotates the member account's
     * due key and answers with no batch item failure.
     */
    @Test
    void theRotatorJarAlone_asTheQueueWorker_rotatesAMemberAccountFromAnSqsEvent() throws Exception {
        String member = "111111111111";
        var memberCredentials = client(software.amazon.awssdk.services.sts.StsClient.builder())
                .assumeRole(request -> request.roleArn("arn:aws:iam::" + member + ":role/OrganizationAccountAccessRole")
                        .roleSessionName("ikr-test-setup")).credentials();
        IamClient memberIam = aws.build(IamClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                                memberCredentials.accessKeyId(), memberCredentials.secretAccessKey(),
                                memberCredentials.sessionToken()))));
        memberIam.createUser(request -> request.userName("bob")
                .tags(Tag.builder().key("IKR:EMAIL").value("bob@example.com").build()));
        String oldKey = memberIam.createAccessKey(request -> request.userName("bob")).accessKey().accessKeyId();
        String queue = client(software.amazon.awssdk.services.sqs.SqsClient.builder())
                .createQueue(request -> request.queueName("ikr-accounts")).queueUrl();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("messageId", "0c4d2a48-0b2c-4c0e-9a8e-1a2b3c4d5e6f");
        message.put("receiptHandle", "AQEB-test");
        message.put("body", "{\"account\":\"" + member + "\",\"dispatchedAt\":\"" + Instant.now()
                + "\",\"continuation\":0}");
        message.put("attributes", Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1767225600000",
                "SenderId", "AROAEXAMPLE:ikr-rotator", "ApproximateFirstReceiveTimestamp", "1767225600001"));
        message.put("messageAttributes", Map.of());
        message.put("md5OfBody", "e4e68fb7bd0e697a0ae8f1bb342846b3");
        message.put("eventSource", "aws:sqs");
        message.put("eventSourceARN", "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":ikr-accounts");
        message.put("awsRegion", REGION);

        Run worker = launch("rotator-function", "dev.ikr.rotator.AccountWorkerHandler",
                JSON.writeValueAsString(Map.of("Records", List.of(message))),
                Map.of("ACCOUNTS", member, "ACCOUNT_QUEUE_URL", queue));

        assertThat(worker.exitCode()).as("the worker's exit code; its standard error:%n%s", worker.stderr()).isZero();
        assertThat(worker.response().path("batchItemFailures")).isEmpty();
        assertThat(EmfLines.metrics(worker.metrics())).containsEntry("Rotated", 1L).containsEntry("AccountFailed", 0L);
        assertThat(memberIam.listAccessKeys(request -> request.userName("bob")).accessKeyMetadata()).hasSize(2)
                .extracting(AccessKeyMetadata::accessKeyId).contains(oldKey);
        assertThat(item("bob", oldKey).get("account").s()).isEqualTo(member);
    }

    /** The outcome of one invocation in its own JVM: its response, and the metrics line it wrote before it. */
    private record Run(int exitCode, JsonNode response, JsonNode metrics, String stderr) {
    }

    /**
     * Runs {@code handler} from the module's Lambda jar in a new JVM with a clean environment, as Lambda would
     * configure it, and checks that it writes nothing but JSON log lines to standard error.
     */
    private Run launch(String module, String handler, String eventJson) throws IOException, InterruptedException,
            URISyntaxException {
        return launch(module, handler, eventJson, Map.of());
    }

    private Run launch(String module, String handler, String eventJson, Map<String, String> moreVariables)
            throws IOException, InterruptedException, URISyntaxException {
        Path event = Files.writeString(work.resolve(module + "-event.json"), eventJson);
        Path launcher = work.resolve("Launcher.java");
        Files.copy(Path.of(LambdaJarAloneIT.class.getResource("/lambda-jar-alone/Launcher.java").toURI()), launcher,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String classPath = lambdaJar(module) + java.io.File.pathSeparator + runtimeSerializerJar();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(java, "-cp", classPath, launcher.toString(), handler, event.toString(),
                "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:ikr-" + module.replace("-function", ""));
        builder.environment().clear();
        builder.environment().putAll(Map.of(
                "IAM_KEY_ROTATOR_TABLE", TABLE, "MAIL_FROM", SENDER, "RECORD_KMS_KEY_ID", recordKeyArn,
                "AWS_REGION", REGION, "AWS_ENDPOINT_URL", endpoint.toString(),
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
        builder.environment().putAll(moreVariables);
        Path stdout = work.resolve(module + ".out");
        Path stderr = work.resolve(module + ".err");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished within 2 minutes", module).isTrue();
        String errors = Files.readString(stderr, StandardCharsets.UTF_8);
        for (String line : errors.lines().filter(line -> !line.isBlank()).toList()) {
            assertThat(parsesAsJsonObject(line)).as("%s wrote a line to standard error that is not a JSON log line:%n%s",
                    module, errors).isTrue();
        }
        List<String> out = Files.readAllLines(stdout, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank()).toList();
        List<JsonNode> metrics = EmfLines.documents(out);
        assertThat(metrics).as("%s wrote one metrics line to standard output:%n%s", module, out).hasSize(1);
        assertThat(out).as("%s's standard output: its metrics line, then the launcher's response", module).hasSize(2);
        return new Run(process.exitValue(), JSON.readTree(out.getLast()), metrics.getFirst(), errors);
    }

    /** The REMOVE record DynamoDB's TTL writes to the table's stream for {@code item}, as Lambda delivers it. */
    private static String removedByTtl(Map<String, AttributeValue> item) throws IOException {
        Map<String, Object> image = new LinkedHashMap<>();
        item.forEach((name, value) -> image.put(name, switch (value.type()) {
            case S -> Map.of("S", value.s());
            case N -> Map.of("N", value.n());
            case BOOL -> Map.of("BOOL", value.bool());
            default -> throw new IllegalArgumentException("an attribute of type " + value.type() + ": " + name);
        }));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventID", "c4ca4238a0b923820dcc509a6f75849b");
        record.put("eventName", "REMOVE");
        record.put("eventVersion", "1.1");
        record.put("eventSource", "aws:dynamodb");
        record.put("awsRegion", REGION);
        record.put("dynamodb", Map.of(
                "ApproximateCreationDateTime", Instant.now().getEpochSecond(),
                "Keys", Map.of("user", image.get("user"), "ak", image.get("ak")),
                "OldImage", image,
                "SequenceNumber", "111",
                "SizeBytes", 256,
                "StreamViewType", "NEW_AND_OLD_IMAGES"));
        record.put("eventSourceARN", "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + TABLE
                + "/stream/2026-01-01T00:00:00.000");
        record.put("userIdentity", Map.of("type", "Service", "principalId", "dynamodb.amazonaws.com"));
        return JSON.writeValueAsString(Map.of("Records", List.of(record)));
    }

    private static boolean parsesAsJsonObject(String line) {
        try {
            return JSON.readTree(line).isObject();
        } catch (IOException notJson) {
            return false;
        }
    }

    private static Path lambdaJar(String module) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", module, "target"))) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().endsWith("-lambda.jar")).toList();
            assertThat(jars).as("the Lambda jar of %s (package it first)", module).hasSize(1);
            return jars.getFirst().toAbsolutePath();
        }
    }

    /**
     * aws-lambda-java-serialization, which the Lambda Java runtime brings to read and write events: the launcher reads
     * the event with it, as the runtime does. The rotator's jar does not hold it; the destructor's does, and its own
     * copy comes first on the class path.
     */
    private static Path runtimeSerializerJar() throws URISyntaxException {
        return Path.of(LambdaEventSerializers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C client(B builder) {
        return aws.build(builder.endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))));
    }

    private static void createTable() {
        dynamoDb.createTable(request -> request
                .tableName(TABLE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        definition -> definition.attributeName("user").attributeType(ScalarAttributeType.S),
                        definition -> definition.attributeName("ak").attributeType(ScalarAttributeType.S))
                .keySchema(
                        key -> key.attributeName("user").keyType(KeyType.HASH),
                        key -> key.attributeName("ak").keyType(KeyType.RANGE))
                .streamSpecification(stream -> stream.streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        dynamoDb.updateTimeToLive(request -> request.tableName(TABLE)
                .timeToLiveSpecification(ttl -> ttl.attributeName("delete_on").enabled(true)));
    }

    private static List<String> keyIds(String user) {
        return iam.listAccessKeys(request -> request.userName(user)).accessKeyMetadata().stream()
                .map(AccessKeyMetadata::accessKeyId).toList();
    }

    private static Map<String, AttributeValue> item(String user, String oldKeyId) {
        return dynamoDb.getItem(request -> request.tableName(TABLE).consistentRead(true)
                .key(Map.of("user", AttributeValue.fromS(user), "ak", AttributeValue.fromS(oldKeyId)))).item();
    }

    /** The subjects of the mails this moto's SES accepted. */
    private static List<String> sentMailSubjects() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        var subjects = new ArrayList<String>();
        JSON.readTree(response.body()).path("ses").path("Message")
                .forEach(message -> subjects.add(message.path("subject").asText()));
        return subjects;
    }

    private static void awaitReady(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (!moto.isAlive()) {
                throw new IllegalStateException("the aged-IAM moto exited: " + Files.readString(log));
            }
            try {
                http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        moto.destroy();
        throw new IllegalStateException("the aged-IAM moto did not answer within 30 s: " + Files.readString(log));
    }
}
