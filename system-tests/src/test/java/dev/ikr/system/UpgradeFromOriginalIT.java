package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.cli.TerraformDeploy;
import dev.ikr.testbed.Moto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A deployment of the original skildops/aws-iam-key-rotator module switches to IKR, in both ways the README's
 * "Upgrading from the original module" describes, against moto: the original applied as a root module (us-east-1),
 * then replaced by a root that calls IKR as {@code module.iam_key_rotator} with the shipped
 * {@code terraform/upgrade/from-original-root-module.tf}; and the original called as {@code module.key_rotator}
 * (us-west-2, with its own provider block, as the original has), whose source then changes to IKR.
 *
 * <p>The original is a fixture with its addresses and names ({@code upgrade-from-original/original}). Both cases share
 * one root module, and so one apply of the original, one plan of the switch and one apply of that plan: Terraform and
 * its provider cost seconds of CPU per command. The plan ({@code terraform plan -json}) must move the table, roles,
 * policies, log groups, functions and stream mapping to IKR's addresses and change them in place at most; the apply
 * must leave the tables' items and streams where they were. A tiny zip stands in for IKR's Lambda jars: the
 * functions never run here, and uploading 22 MB per function costs seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeFromOriginalIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path FIXTURES = REPOSITORY.resolve("system-tests/src/test/resources/upgrade-from-original");
    private static final String ROOT_CASE = "";
    private static final String MODULE_CASE = "module.key_rotator.";
    private static final String MAILGUN_API_KEY = "key-of-the-original";

    /** Where each of the original's resources that holds state must land, by the original's address. */
    private static final Map<String, String> KEPT = orderedMap(
            "aws_dynamodb_table.iam_key_rotator", "aws_dynamodb_table.this",
            "aws_iam_role.iam_key_creator", "aws_iam_role.this[\"rotator\"]",
            "aws_iam_role.iam_key_destructor", "aws_iam_role.this[\"destructor\"]",
            "aws_iam_role_policy.iam_key_creator_policy", "aws_iam_role_policy.this[\"rotator\"]",
            "aws_iam_role_policy.iam_key_destructor_policy", "aws_iam_role_policy.this[\"destructor\"]",
            "aws_cloudwatch_log_group.iam_key_creator", "aws_cloudwatch_log_group.this[\"rotator\"]",
            "aws_cloudwatch_log_group.iam_key_destructor", "aws_cloudwatch_log_group.this[\"destructor\"]",
            "aws_lambda_function.iam_key_creator", "aws_lambda_function.this[\"rotator\"]",
            "aws_lambda_function.iam_key_destructor", "aws_lambda_function.this[\"destructor\"]",
            "aws_lambda_event_source_mapping.iam_key_destructor", "aws_lambda_event_source_mapping.destructor",
            "aws_ssm_parameter.mailgun[0]", "aws_ssm_parameter.mailgun_api_key[0]");

    /** What IKR names otherwise and holds no state: moved, then replaced. */
    private static final Map<String, String> REPLACED = orderedMap(
            "aws_cloudwatch_event_rule.iam_key_creator", "aws_cloudwatch_event_rule.rotator",
            "aws_cloudwatch_event_target.iam_key_creator", "aws_cloudwatch_event_target.rotator",
            "aws_lambda_permission.iam_key_creator", "aws_lambda_permission.rotator_schedule");

    /** What IKR has no counterpart of. */
    private static final List<String> LEFT_BEHIND = List.of(
            "aws_lambda_layer_version.pytz", "aws_lambda_layer_version.requests",
            "aws_lambda_layer_version.cryptography", "aws_iam_role_policy_attachment.iam_key_creator_logs",
            "aws_iam_role_policy_attachment.iam_key_destructor_logs");

    @TempDir
    static Path work;

    private Path terraform;
    private Path root;
    private TerraformDeploy deploy;
    private Moto moto;
    private SdkHttpClient http;
    private DynamoDbClient east;
    private DynamoDbClient west;
    private Map<String, String> streamsBefore;
    private Map<String, JsonNode> changes;

    @BeforeAll
    void applyTheOriginal_thenPlanTheSwitch() throws IOException {
        terraform = TerraformDeploy.terraformOnPath().orElse(null);
        if (terraform == null) {
            return; // each test is skipped, with the reason, by terraformIsInstalled()
        }
        moto = Moto.start();
        http = UrlConnectionHttpClient.create();
        east = dynamoDb(Region.US_EAST_1);
        west = dynamoDb(Region.US_WEST_2);
        Path zip = StandInPackage.write(work.resolve("function.zip"));

        // moto has no AWS managed policies unless told to load them: the original's attachment gets a stand-in
        String logsPolicy;
        try (IamClient iam = IamClient.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials()).httpClient(http).build()) {
            logsPolicy = iam.createPolicy(request -> request.policyName("AWSLambdaBasicExecutionRole")
                    .policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Action\":\"logs:PutLogEvents\",\"Resource\":\"*\"}]}")).policy().arn();
        }

        // before: the original as the root module, and called as a module
        copyTerraformFiles(FIXTURES.resolve("original"), work.resolve("original"));
        root = work.resolve("root");
        copyTerraformFiles(FIXTURES.resolve("original"), root);
        copyTerraformFiles(FIXTURES.resolve("before"), root);
        deploy = TerraformDeploy.in(terraform, root);
        deploy.init();
        deploy.apply(orderedMap(
                "aws_endpoint", moto.endpoint().toString(),
                "function_zip_path", zip.toString(),
                "logs_policy_arn", logsPolicy,
                "mail_client", "mailgun",
                "mail_from", "ikr@example.com",
                "mailgun_api_url", "https://api.mailgun.net/v3/mg.example.com",
                "mailgun_api_key", MAILGUN_API_KEY));
        for (DynamoDbClient dynamoDb : List.of(east, west)) {
            dynamoDb.putItem(request -> request.tableName("iam-key-rotator").item(pendingDeletion()));
        }
        streamsBefore = streams();

        // the README's module-call step: the original configured its own provider, so what IKR has no counterpart
        // of leaves the state before the switch (Terraform could not destroy it without that provider)
        deploy.run(Stream.concat(Stream.of("state", "rm", "-no-color"),
                LEFT_BEHIND.stream().map(address -> MODULE_CASE + address)).toArray(String[]::new));

        // after: IKR, with the shipped moved file for the root-module case
        try (Stream<Path> files = Files.list(root)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".tf")).toList()) {
                Files.delete(file);
            }
        }
        Files.writeString(root.resolve("main.tf"), Files.readString(FIXTURES.resolve("after/main.tf"))
                .replace("IKR_MODULE_SOURCE", REPOSITORY.resolve("terraform").toString()));
        Files.copy(REPOSITORY.resolve("terraform/upgrade/from-original-root-module.tf"),
                root.resolve("from-original-root-module.tf"));
        deploy.init();
        // terraform plan -json: the saved plan for the apply, and one planned_change line per resource it changes
        String plan = deploy.run(withVariables(List.of("plan", "-json", "-input=false", "-out=switch.tfplan"),
                orderedMap("aws_endpoint", moto.endpoint().toString(), "jar_path", zip.toString(),
                        "mailgun_api_key", MAILGUN_API_KEY)));
        changes = new TreeMap<>();
        for (String line : plan.lines().toList()) {
            JsonNode message = JSON.readTree(line);
            JsonNode change = message.path("change");
            if (message.path("type").asText().equals("planned_change") && !action(change).equals("read")) {
                changes.put(change.path("resource").path("addr").asText(), change);
            }
        }
    }

    @BeforeEach
    void terraformIsInstalled() {
        Assumptions.assumeTrue(terraform != null,
                "terraform is not installed: put terraform (1.5 or newer) on the PATH to test the upgrade");
    }

    @AfterAll
    void stopMoto() {
        for (AutoCloseable client : new AutoCloseable[] {east, west, http}) {
            if (client != null) {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // closing a client of a moto that is about to stop
                }
            }
        }
        if (moto != null) {
            moto.stop();
        }
        if (deploy != null) {
            deploy.removeInitialisation();
        }
    }

    @Test
    @Order(1)
    void rootModule_movesIntoTheModuleCall_andUpdatesInPlaceWhatHoldsState() {
        assertKeptInPlace(ROOT_CASE, "module.iam_key_rotator.");
    }

    @Test
    @Order(2)
    void moduleCall_whoseSourceChanges_updatesInPlaceWhatHoldsState() {
        assertKeptInPlace(MODULE_CASE, MODULE_CASE);
    }

    @Test
    @Order(3)
    void theOnlyObjectsDestroyed_holdNoState() {
        var destroyed = new TreeSet<String>();
        changes.forEach((address, change) -> {
            if (List.of("delete", "replace").contains(action(change))) {
                destroyed.add(address);
            }
        });

        var expected = new TreeSet<String>();
        for (String module : List.of("module.iam_key_rotator.", MODULE_CASE)) {
            REPLACED.values().forEach(address -> expected.add(module + address));
        }
        expected.addAll(LEFT_BEHIND); // the root-module case's, destroyed with the root's provider
        assertThat(destroyed).as("destroyed or replaced").containsExactlyElementsOf(expected);

        for (String original : REPLACED.keySet()) {
            for (String from : List.of(ROOT_CASE, MODULE_CASE)) {
                String to = (from.isEmpty() ? "module.iam_key_rotator." : from) + REPLACED.get(original);
                assertThat(previousAddress(changes.get(to))).as("%s moved", to).isEqualTo(from + original);
                assertThat(action(changes.get(to))).as("%s (another name, no state)", to).isEqualTo("replace");
            }
        }
    }

    @Test
    @Order(4)
    void apply_keepsTheTablesItems_andTheirStreams() {
        deploy.run("apply", "-auto-approve", "-input=false", "-no-color", "switch.tfplan");

        for (DynamoDbClient dynamoDb : List.of(east, west)) {
            assertThat(dynamoDb.getItem(request -> request.tableName("iam-key-rotator")
                    .key(Map.of("user", pendingDeletion().get("user"), "ak", pendingDeletion().get("ak")))).item())
                    .isEqualTo(pendingDeletion());
        }
        assertThat(streams()).as("the streams the destructor's mappings read").isEqualTo(streamsBefore);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void assertKeptInPlace(String from, String to) {
        KEPT.forEach((original, ikr) -> {
            JsonNode change = changes.get(to + ikr);
            assertThat(change).as("a planned change for %s", to + ikr).isNotNull();
            assertThat(previousAddress(change)).as("%s moved", to + ikr).isEqualTo(from + original);
            assertThat(action(change)).as("%s (from %s)", to + ikr, from + original).isIn("move", "update");
        });
    }

    /** A planned_change's action: create, read, update, replace, delete, or move (moved, nothing else changes). */
    private static String action(JsonNode change) {
        return change.path("action").asText();
    }

    private static String previousAddress(JsonNode change) {
        return change.path("previous_resource").path("addr").asText();
    }

    private static Map<String, AttributeValue> pendingDeletion() {
        return Map.of("user", AttributeValue.fromS("alice"), "ak", AttributeValue.fromS("AKIAORIGINALOLDKEY01"),
                "delete_on", AttributeValue.fromN("4102444800"));
    }

    private Map<String, String> streams() {
        return Map.of("us-east-1", latestStream(east), "us-west-2", latestStream(west));
    }

    private static String latestStream(DynamoDbClient dynamoDb) {
        return dynamoDb.describeTable(request -> request.tableName("iam-key-rotator")).table().latestStreamArn();
    }

    private DynamoDbClient dynamoDb(Region region) {
        return DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(region)
                .credentialsProvider(credentials()).httpClient(http).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    /** One handler module, for the original's functions and layers and in place of IKR's jars. */
    private static void copyTerraformFiles(Path from, Path into) throws IOException {
        Files.createDirectories(into);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".tf")).toList()) {
                Files.copy(file, into.resolve(file.getFileName()));
            }
        }
    }

    private static String[] withVariables(List<String> command, Map<String, String> variables) {
        var arguments = new java.util.ArrayList<>(command);
        variables.forEach((name, value) -> {
            arguments.add("-var");
            arguments.add(name + "=" + value);
        });
        return arguments.toArray(String[]::new);
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
