package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.aws.AwsClients;
import dev.ikr.cli.Expiry;
import dev.ikr.cli.TerraformDeploy;
import dev.ikr.config.DestructorConfig;
import dev.ikr.config.RotatorConfig;
import dev.ikr.destructor.DestructorHandler;
import dev.ikr.rotator.RotationRunFailedException;
import dev.ikr.rotator.RotatorHandler;
import dev.ikr.testbed.FaultInjector;
import dev.ikr.testbed.Moto;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
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
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.SSEStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.DeleteAccessKeyRequest;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.UpdateAliasRequest;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The Terraform module as an operator applies it: {@code terraform/examples/complete} against a moto of its own, then
 * what AWS holds (the SDK for DynamoDB, IAM and SSM; Terraform's state for Lambda, EventBridge, SQS, CloudWatch and
 * SNS, whose SDK modules this module does not depend on), then {@code terraform destroy}.
 *
 * <p>Beside it, {@code terraform/examples/organization} is applied to a moto of its own ({@link OrganizationDeployment}),
 * in the background: the hub with the accounts queue, its dead-letter queue and the account worker, and the member
 * role in another account. The {@code organization_*} tests check what it created in both accounts.
 *
 * <p>The module is copied into a temporary directory first, so {@code .terraform}, the lock file and the state never
 * land in the repository. SnapStart is switched off: moto accepts {@code SnapStart} but always reports
 * {@code ApplyOn=None}, which would show as drift.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerraformModuleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path ROTATOR_JAR =
            REPOSITORY.resolve("rotator-function/target/rotator-function-0.1.0-SNAPSHOT-lambda.jar");
    /** A principal allowed to delete items (cancel deletions), given to the module as table_admin_principal_arns. */
    private static final String TABLE_ADMIN = "arn:aws:iam::" + Moto.ACCOUNT_ID + ":role/ikr-operator";
    private static final Path DESTRUCTOR_JAR =
            REPOSITORY.resolve("destructor-function/target/destructor-function-0.1.0-SNAPSHOT-lambda.jar");

    @TempDir
    static Path work;

    private Path terraform;
    private Path example;
    private TerraformDeploy deploy;
    private Moto moto;
    private SdkHttpClient http;
    private DynamoDbClient dynamoDb;
    private IamClient iam;
    private SsmClient ssm;
    private KmsClient kms;
    private JsonNode outputs;
    private List<JsonNode> resources;
    private boolean destroyed;
    private OrganizationDeployment organization;

    @BeforeAll
    void applyTheCompleteExample() throws Exception {
        terraform = TerraformDeploy.terraformOnPath().orElse(null);
        if (terraform == null) {
            return; // each test is skipped, with the reason, by terraformIsInstalled()
        }
        assertThat(ROTATOR_JAR).as("the rotator jar (mvn package builds it)").isRegularFile();
        assertThat(DESTRUCTOR_JAR).as("the destructor jar (mvn package builds it)").isRegularFile();

        moto = Moto.start();
        http = UrlConnectionHttpClient.create();
        dynamoDb = aws(DynamoDbClient.builder()).build();
        iam = aws(IamClient.builder()).build();
        ssm = aws(SsmClient.builder()).build();
        kms = aws(KmsClient.builder()).build();

        deploy = TerraformDeploy.prepare(terraform, REPOSITORY, work);
        example = work.resolve("terraform/examples/complete");
        organization = OrganizationDeployment.applyInBackground(terraform, work.resolve("terraform"));
        deploy.apply(variables());

        outputs = JSON.readTree(run("output", "-json", "-no-color"));
        resources = resources(JSON.readTree(run("show", "-json", "-no-color")));
    }

    @BeforeEach
    void terraformIsInstalled() {
        Assumptions.assumeTrue(terraform != null,
                "terraform is not installed: put terraform (1.5 or newer) on the PATH to test the Terraform module");
    }

    @AfterAll
    void destroyIfNeeded_andStopMoto() {
        try {
            if (moto != null && example != null && !destroyed) {
                deploy.destroy(variables()); // after an earlier failure; the dedicated moto goes away regardless
            }
        } catch (AssertionError | RuntimeException alreadyReported) {
            // the failure that matters was reported by the test that left resources behind
        } finally {
            for (AutoCloseable client : new AutoCloseable[] {dynamoDb, iam, ssm, kms, http}) {
                closeQuietly(client);
            }
            if (moto != null) {
                moto.stop();
            }
            if (deploy != null) {
                deploy.removeInitialisation();
            }
            if (organization != null) {
                organization.close();
            }
        }
    }

    @Test
    @Order(1)
    void table_isKeyedByUserAndKey_expiresOnDeleteOn_andStreamsBothImages() {
        String tableName = output("table_name");
        TableDescription table = dynamoDb.describeTable(request -> request.tableName(tableName)).table();

        assertThat(tableName).isEqualTo("iam-key-rotator");
        assertThat(table.tableArn()).isEqualTo(output("table_arn"));
        assertThat(table.keySchema()).containsExactly(
                KeySchemaElement.builder().attributeName("user").keyType(KeyType.HASH).build(),
                KeySchemaElement.builder().attributeName("ak").keyType(KeyType.RANGE).build());
        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(table.streamSpecification().streamEnabled()).isTrue();
        assertThat(table.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(table.latestStreamArn()).isEqualTo(output("table_stream_arn"));
        assertThat(table.sseDescription().status()).isEqualTo(SSEStatus.ENABLED);

        var ttl = dynamoDb.describeTimeToLive(request -> request.tableName(tableName)).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo("delete_on");
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(dynamoDb.describeContinuousBackups(request -> request.tableName(tableName))
                .continuousBackupsDescription().pointInTimeRecoveryDescription().pointInTimeRecoveryStatus())
                .isEqualTo(PointInTimeRecoveryStatus.ENABLED);
    }

    @Test
    @Order(2)
    void functions_runJava21_withTheHandlers_andTheOriginalsEnvironmentVariables() {
        JsonNode rotator = resource("aws_lambda_function", "this", "rotator");
        JsonNode destructor = resource("aws_lambda_function", "this", "destructor");

        assertThat(rotator.path("function_name").asText()).isEqualTo(output("key_creator_function_name"))
                .isEqualTo("iam-key-creator");
        assertThat(rotator.path("runtime").asText()).isEqualTo("java21");
        assertThat(rotator.path("handler").asText()).isEqualTo("dev.ikr.rotator.RotatorHandler::handleRequest");
        assertThat(rotator.path("role").asText()).isEqualTo(output("key_creator_role_arn"));
        assertThat(rotator.path("publish").asBoolean()).isTrue();
        Map<String, String> shared = Map.of(
                "IAM_KEY_ROTATOR_TABLE", "iam-key-rotator",
                "ENCRYPT_KEY_PAIR", "true",
                "MAX_CONCURRENCY", "4",
                "MAIL_CLIENT", "ses",
                "MAIL_FROM", "ikr@example.com",
                "METRICS_NAMESPACE", "IKR",
                "RECORD_KMS_KEY_ID", output("record_kms_key_arn"),
                "ADMIN_EMAIL", "ikr-admins@example.com");
        assertThat(environment(rotator)).isEqualTo(merged(shared, Map.of(
                "ROTATE_AFTER_DAYS", "85",
                "DELETE_AFTER_DAYS", "5",
                "ALLOWED_EMAIL_DOMAINS", ".example.com",
                "ROTATE_KMS_KEYS", "true",
                "KMS_ROTATE_AFTER_DAYS", "365",
                "KMS_ENABLE_AUTO_ROTATION", "true")));

        assertThat(destructor.path("function_name").asText()).isEqualTo(output("key_destructor_function_name"))
                .isEqualTo("iam-key-destructor");
        assertThat(destructor.path("runtime").asText()).isEqualTo("java21");
        assertThat(destructor.path("handler").asText())
                .isEqualTo("dev.ikr.destructor.DestructorHandler::handleRequest");
        assertThat(destructor.path("role").asText()).isEqualTo(output("key_destructor_role_arn"));
        assertThat(environment(destructor)).isEqualTo(merged(shared, Map.of(
                "RETRY_AFTER_MINS", "5",
                "MAX_DELETE_ATTEMPTS", "10",
                "IN_USE_POSTPONE_DAYS", "3",
                "MAX_POSTPONEMENTS", "2",
                "IN_USE_POLICY", "proceed",
                "KMS_PENDING_WINDOW_DAYS", "30")));

        JsonNode rotatorAlias = resource("aws_lambda_alias", "this", "rotator");
        assertThat(rotatorAlias.path("arn").asText()).isEqualTo(output("key_creator_alias_arn"));
        assertThat(rotatorAlias.path("function_version").asText()).isEqualTo(rotator.path("version").asText());
        JsonNode destructorAlias = resource("aws_lambda_alias", "this", "destructor");
        assertThat(destructorAlias.path("arn").asText()).isEqualTo(output("key_destructor_alias_arn"));
        assertThat(destructorAlias.path("function_version").asText()).isEqualTo(destructor.path("version").asText());

        assertThat(resource("aws_cloudwatch_log_group", "this", "rotator").path("name").asText())
                .isEqualTo("/aws/lambda/iam-key-creator");
        assertThat(resource("aws_cloudwatch_log_group", "this", "destructor").path("retention_in_days").asInt())
                .isEqualTo(30);
    }

    @Test
    @Order(3)
    void schedule_invokesTheRotatorsAlias_withTheCronExpression() {
        JsonNode rule = resource("aws_cloudwatch_event_rule", "rotator");
        JsonNode target = resource("aws_cloudwatch_event_target", "rotator");
        JsonNode permission = resource("aws_lambda_permission", "rotator_schedule");

        assertThat(rule.path("schedule_expression").asText()).isEqualTo("cron(0 12 * * ? *)")
                .isEqualTo(output("cron_expression"));
        assertThat(target.path("rule").asText()).isEqualTo(rule.path("name").asText());
        assertThat(target.path("arn").asText()).isEqualTo(output("key_creator_alias_arn"));
        assertThat(permission.path("principal").asText()).isEqualTo("events.amazonaws.com");
        assertThat(permission.path("qualifier").asText()).isEqualTo("live");
        assertThat(permission.path("source_arn").asText()).isEqualTo(rule.path("arn").asText());
    }

    @Test
    @Order(4)
    void streamMapping_deliversOnlyTtlRemovals_withPartialBatchFailures_andAnOnFailureQueue() throws IOException {
        JsonNode mapping = resource("aws_lambda_event_source_mapping", "destructor");
        JsonNode queue = resource("aws_sqs_queue", "destructor_failures");

        assertThat(mapping.path("event_source_arn").asText()).isEqualTo(output("table_stream_arn"));
        assertThat(mapping.path("starting_position").asText()).isEqualTo("LATEST");
        assertThat(texts(mapping.path("function_response_types"))).containsExactly("ReportBatchItemFailures");
        assertThat(mapping.path("bisect_batch_on_function_error").asBoolean()).isTrue();
        assertThat(mapping.path("maximum_retry_attempts").asInt()).isEqualTo(10);
        JsonNode pattern = JSON.readTree(
                mapping.path("filter_criteria").path(0).path("filter").path(0).path("pattern").asText());
        assertThat(pattern).isEqualTo(JSON.readTree("""
                {"eventName": ["REMOVE"],
                 "userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]}}"""));
        assertThat(mapping.path("destination_config").path(0).path("on_failure").path(0).path("destination_arn")
                .asText()).isEqualTo(output("destructor_failure_queue_arn"));

        assertThat(queue.path("url").asText()).isEqualTo(output("destructor_failure_queue_url"));
        assertThat(queue.path("sqs_managed_sse_enabled").asBoolean()).isTrue();
    }

    @Test
    @Order(5)
    void alarms_watchTheFunctionsMetrics_theQueue_andTheSchedule_andNotifyTheTopicMailingAlarmEmail() {
        JsonNode topic = resource("aws_sns_topic", "alarms", "0");
        JsonNode subscription = resource("aws_sns_topic_subscription", "alarm_email", "0");
        String topicArn = output("alarm_topic_arn");
        assertThat(topic.path("arn").asText()).isEqualTo(topicArn).endsWith(":iam-key-creator-alarms");
        assertThat(subscription.path("topic_arn").asText()).isEqualTo(topicArn);
        assertThat(subscription.path("protocol").asText()).isEqualTo("email");
        assertThat(subscription.path("endpoint").asText()).isEqualTo("ops@example.com");

        Map<String, String> names = strings(outputs.path("alarm_names").path("value"));
        String rotator = "iam-key-creator";
        String destructor = "iam-key-destructor";
        // key: name, namespace, metric, dimension, statistic, operator, threshold, period x evaluations, missing data
        Map<String, List<String>> expected = new TreeMap<>(Map.of(
                "rotator_failed", List.of(rotator + "-failed-users", "IKR", "Failed", "FunctionName=" + rotator),
                "destructor_failed", List.of(destructor + "-failed-records", "IKR", "Failed",
                        "FunctionName=" + destructor),
                "rotator_needs_attention", List.of(rotator + "-needs-attention", "IKR", "NeedsAttention",
                        "FunctionName=" + rotator),
                "destructor_needs_attention", List.of(destructor + "-needs-attention", "IKR", "NeedsAttention",
                        "FunctionName=" + destructor),
                "rotator_unverified_record", List.of(rotator + "-unverified-record", "IKR", "UnverifiedRecord",
                        "FunctionName=" + rotator),
                "destructor_unverified_record", List.of(destructor + "-unverified-record", "IKR", "UnverifiedRecord",
                        "FunctionName=" + destructor),
                "destructor_failure_queue", List.of(destructor + "-failure-queue", "AWS/SQS",
                        "ApproximateNumberOfMessagesVisible", "QueueName=" + destructor + "-failures", "Maximum"),
                "rotator_errors", List.of(rotator + "-errors", "AWS/Lambda", "Errors", "FunctionName=" + rotator),
                "rotator_missed_run", List.of(rotator + "-missed-run", "AWS/Lambda", "Invocations",
                        "FunctionName=" + rotator, "Sum", "LessThanThreshold", "1", "3600x26", "breaching")));
        assertThat(names.keySet()).containsExactlyElementsOf(expected.keySet());
        assertAlarms(resources, expected, names, List.of(topicArn));
        assertThat(resource("aws_cloudwatch_metric_alarm", "this", "rotator_missed_run").path("period").asInt()
                * resource("aws_cloudwatch_metric_alarm", "this", "rotator_missed_run").path("evaluation_periods")
                .asInt()).as("CloudWatch evaluates at most 7 days of hourly periods").isLessThanOrEqualTo(604_800);
    }

    /**
     * Each alarm as {@code expected} describes it (key: name, namespace, metric, dimension, and where they differ from
     * an outcome alarm's: statistic, operator, threshold, period x evaluations, missing data), named as {@code names}
     * says, notifying {@code actions}.
     */
    private static void assertAlarms(List<JsonNode> state, Map<String, List<String>> expected, Map<String, String> names,
            List<String> actions) {
        expected.forEach((key, want) -> {
            JsonNode alarm = resource(state, "aws_cloudwatch_metric_alarm", "this", key);
            String[] dimension = want.get(3).split("=", 2);
            assertThat(alarm.path("alarm_name").asText()).as(key).isEqualTo(want.get(0)).isEqualTo(names.get(key));
            assertThat(alarm.path("namespace").asText()).as(key).isEqualTo(want.get(1));
            assertThat(alarm.path("metric_name").asText()).as(key).isEqualTo(want.get(2));
            assertThat(strings(alarm.path("dimensions"))).as(key).isEqualTo(Map.of(dimension[0], dimension[1]));
            assertThat(alarm.path("statistic").asText()).as(key).isEqualTo(want.size() > 4 ? want.get(4) : "Sum");
            assertThat(alarm.path("comparison_operator").asText()).as(key)
                    .isEqualTo(want.size() > 5 ? want.get(5) : "GreaterThanThreshold");
            assertThat(alarm.path("threshold").asDouble()).as(key)
                    .isEqualTo(want.size() > 6 ? Double.parseDouble(want.get(6)) : 0.0);
            assertThat(alarm.path("period").asInt() + "x" + alarm.path("evaluation_periods").asInt()).as(key)
                    .isEqualTo(want.size() > 7 ? want.get(7) : "300x1");
            assertThat(alarm.path("datapoints_to_alarm").asInt()).as(key)
                    .isEqualTo(alarm.path("evaluation_periods").asInt());
            assertThat(alarm.path("treat_missing_data").asText()).as(key)
                    .isEqualTo(want.size() > 8 ? want.get(8) : "notBreaching");
            assertThat(texts(alarm.path("alarm_actions"))).as(key).containsExactlyElementsOf(actions);
        });
    }

    @Test
    @Order(6)
    void recordKey_isSymmetricAndRotated_andOnlyTheFunctionRolesMayUseIt_withTheRecordContext() {
        String keyArn = output("record_kms_key_arn");
        var key = kms.describeKey(request -> request.keyId(keyArn)).keyMetadata();
        assertThat(key.arn()).isEqualTo(keyArn);
        assertThat(key.keySpec()).isEqualTo(KeySpec.SYMMETRIC_DEFAULT);
        assertThat(key.keyUsage()).isEqualTo(KeyUsageType.ENCRYPT_DECRYPT);
        assertThat(key.enabled()).isTrue();
        assertThat(kms.getKeyRotationStatus(request -> request.keyId(keyArn)).keyRotationEnabled()).isTrue();
        assertThat(kms.listAliases(request -> request.keyId(key.keyId())).aliases())
                .extracting(alias -> alias.aliasName()).containsExactly("alias/ikr-records");

        JsonNode policy = json(kms.getKeyPolicy(request -> request.keyId(keyArn).policyName("default")).policy());
        Map<String, JsonNode> statements = bySid(policy);
        assertThat(statements).containsOnlyKeys("AdministerTheKeyButNeverUseIt", "IkrSealsAndChecksTableItems");
        for (JsonNode statement : statements.values()) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        }

        JsonNode administer = statements.get("AdministerTheKeyButNeverUseIt");
        assertThat(texts(administer.path("Principal").path("AWS")))
                .containsExactly("arn:aws:iam::" + Moto.ACCOUNT_ID + ":root");
        assertThat(texts(administer.path("Action")))
                .contains("kms:DescribeKey", "kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:ScheduleKeyDeletion",
                        "kms:CancelKeyDeletion", "kms:TagResource", "kms:CreateAlias")
                .as("administrators never use the key, nor grant its use")
                .noneMatch(action -> action.contains("*") || action.contains("crypt")
                        || action.startsWith("kms:GenerateDataKey") || action.equals("kms:CreateGrant"));

        JsonNode use = statements.get("IkrSealsAndChecksTableItems");
        assertThat(texts(use.path("Principal").path("AWS"))).containsExactlyInAnyOrder(
                output("key_creator_role_arn"), output("key_destructor_role_arn"));
        assertThat(texts(use.path("Action"))).containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Decrypt");
        assertThat(use.path("Condition")).isEqualTo(json("""
                {"StringEquals": {"kms:EncryptionContext:purpose": "ikr-record-mac"},
                 "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": "purpose"}}"""));
    }

    @Test
    @Order(7)
    void table_deniesItemWritesToAllButTheFunctionRoles_andDeletesToAllButThemAndTheTableAdmins() {
        JsonNode policy = json(dynamoDb.getResourcePolicy(request -> request.resourceArn(output("table_arn")))
                .policy());
        Map<String, JsonNode> statements = bySid(policy);
        assertThat(statements).containsOnlyKeys("OnlyIkrWritesItems", "OnlyIkrAndTableAdminsDeleteItems");
        List<String> roles = List.of(output("key_creator_role_arn"), output("key_destructor_role_arn"));

        JsonNode writes = statements.get("OnlyIkrWritesItems");
        assertThat(texts(writes.path("Action"))).containsExactlyInAnyOrder("dynamodb:PutItem", "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate",
                "dynamodb:PartiQLDelete");
        assertThat(texts(writes.path("Condition").path("ArnNotLike").path("aws:PrincipalArn")))
                .containsExactlyInAnyOrderElementsOf(roles);

        JsonNode deletes = statements.get("OnlyIkrAndTableAdminsDeleteItems");
        assertThat(texts(deletes.path("Action"))).containsExactly("dynamodb:DeleteItem");
        assertThat(texts(deletes.path("Condition").path("ArnNotLike").path("aws:PrincipalArn")))
                .containsExactlyInAnyOrderElementsOf(union(Set.copyOf(roles), Set.of(TABLE_ADMIN)));

        for (JsonNode statement : statements.values()) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
            assertThat(texts(statement.path("Principal").path("AWS"))).containsExactly("*");
            assertThat(texts(statement.path("Resource"))).containsExactly(output("table_arn"));
            assertThat(statement.path("Condition").size()).as("one condition: %s", statement).isEqualTo(1);
        }
    }

    @Test
    @Order(8)
    void rolePolicies_touchKeysOfTaggedUsersOnly_andUseTheRecordKeyWithItsContextOnly() {
        String ownerTagged = "{\"Null\": {\"aws:ResourceTag/IKR:EMAIL\": \"false\"}}";
        String recordContext = "{\"StringEquals\": {\"kms:EncryptionContext:purpose\": \"ikr-record-mac\"}}";
        String macKeyParameter = "arn:aws:ssm:" + Moto.REGION + ":" + Moto.ACCOUNT_ID + ":parameter/ikr/record-mac-key";
        for (String role : List.of("iam-key-creator", "iam-key-destructor")) {
            Map<String, JsonNode> statements = bySid(policy(role, role + "-policy"));

            for (JsonNode statement : statements.values()) {
                List<String> actions = texts(statement.path("Action"));
                if (actions.contains("iam:CreateAccessKey") || actions.contains("iam:DeleteAccessKey")
                        || actions.contains("iam:UpdateAccessKey")) {
                    assertThat(statement.path("Condition")).as("%s: %s", role, statement).isEqualTo(json(ownerTagged));
                }
            }
            JsonNode seal = statements.get("SealTableItems");
            assertThat(texts(seal.path("Action"))).containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Decrypt");
            assertThat(texts(seal.path("Resource"))).containsExactly(output("record_kms_key_arn"));
            assertThat(seal.path("Condition")).isEqualTo(json(recordContext));
            JsonNode macKey = statements.get("KeepTheRecordMacKey");
            assertThat(texts(macKey.path("Action"))).containsExactlyInAnyOrder("ssm:GetParameter", "ssm:PutParameter");
            assertThat(texts(macKey.path("Resource"))).containsExactly(macKeyParameter);
        }
        assertThat(texts(bySid(policy("iam-key-creator", "iam-key-creator-policy"))
                .get("RotateAccessKeysOfTaggedUsers").path("Action")))
                .containsExactlyInAnyOrder("iam:CreateAccessKey", "iam:DeleteAccessKey");
        assertThat(texts(bySid(policy("iam-key-destructor", "iam-key-destructor-policy"))
                .get("DeleteOldAccessKeysOfTaggedUsers").path("Action")))
                .containsExactly("iam:DeleteAccessKey");
        assertThat(texts(bySid(policy("iam-key-destructor", "iam-key-destructor-policy"))
                .get("DeactivateOldAccessKeysOfTaggedUsers").path("Action")))
                .containsExactly("iam:UpdateAccessKey");

        // KMS keys (enable_kms_rotation): what changes a key, or reads its policy or public key, only on keys of an
        // owner; a new key only with the owner tag in the request
        Map<String, JsonNode> rotator = bySid(policy("iam-key-creator", "iam-key-creator-policy"));
        Map<String, JsonNode> destructor = bySid(policy("iam-key-destructor", "iam-key-destructor-policy"));
        String keys = "arn:aws:kms:" + Moto.REGION + ":" + Moto.ACCOUNT_ID + ":key/*";
        for (JsonNode owners : List.of(rotator.get("RotateKmsKeysOfOwners"), destructor.get("RetireKmsKeysOfOwners"),
                rotator.get("TurnOnAutomaticRotationOfOwnersSymmetricKeys"))) {
            assertThat(owners.path("Condition")).as("%s", owners).isEqualTo(json(ownerTagged));
            assertThat(texts(owners.path("Resource"))).containsExactly(keys);
        }
        assertThat(texts(rotator.get("RotateKmsKeysOfOwners").path("Action"))).containsExactlyInAnyOrder(
                "kms:GetKeyPolicy", "kms:GetPublicKey", "kms:UpdateAlias", "kms:ScheduleKeyDeletion",
                "kms:PutKeyPolicy");
        assertThat(texts(destructor.get("RetireKmsKeysOfOwners").path("Action")))
                .containsExactlyInAnyOrder("kms:DisableKey", "kms:ScheduleKeyDeletion");
        assertThat(rotator.get("CreateKmsKeysForOwners").path("Condition"))
                .isEqualTo(json("{\"Null\": {\"aws:RequestTag/IKR:EMAIL\": \"false\"}}"));
        assertThat(texts(rotator.get("MoveKmsAliases").path("Resource")))
                .containsExactly("arn:aws:kms:" + Moto.REGION + ":" + Moto.ACCOUNT_ID + ":alias/*");
    }

    @Test
    @Order(9)
    void rotationAndExpiry_runOnTheDeployedTable_andEachPolicyGrantsExactlyTheCallsItsFunctionMakes() {
        Map<String, String> previous = pointTheSdkAtThisMoto();
        try {
            var setup = new AwsClients();
            var faults = new FaultInjector();
            var rotatorCode = new AwsClients(List.of(faults));
            var destructorCode = new AwsClients(List.of(faults));
            setup.ses().verifyEmailIdentity(request -> request.emailAddress("ikr@example.com"));
            for (String user : List.of("alice", "bob", "carol", "dave")) {
                setup.iam().createUser(request -> request.userName(user)
                        .tags(tag -> tag.key("IKR:EMAIL").value(user + "@example.com")));
                setup.iam().createAccessKey(request -> request.userName(user));
            }
            // KMS keys: one rotated and retired, one whose alias cannot be moved (the new key is withdrawn), one
            // symmetric key whose automatic rotation is turned on
            var kms = setup.kms();
            String signing = kmsKey(kms, KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY, "alias/tf-signing");
            kmsKey(kms, KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY, "alias/tf-flaky");
            String symmetric = kmsKey(kms, KeySpec.SYMMETRIC_DEFAULT, KeyUsageType.ENCRYPT_DECRYPT, "alias/tf-data");
            faults.fail("UpdateAlias", request -> request instanceof UpdateAliasRequest update
                    && update.aliasName().equals("alias/tf-flaky"));
            // dave: two stages, so the destructor deactivates his old key (UpdateAccessKey)
            setup.iam().tagUser(request -> request.userName("dave")
                    .tags(tag -> tag.key("IKR:DEACTIVATE_AFTER_DAYS").value("2")));
            Map<String, String> env = Map.of("IAM_KEY_ROTATOR_TABLE", output("table_name"),
                    "MAIL_FROM", "ikr@example.com", "ACCOUNT_ID", Moto.ACCOUNT_ID,
                    "RECORD_KMS_KEY_ID", output("record_kms_key_arn"), "ROTATE_KMS_KEYS", "true",
                    "KMS_ENABLE_AUTO_ROTATION", "true");
            Instant rotatedAt = Instant.now().plus(Duration.ofDays(100));
            // bob: the schedule write fails, so the rotator checks it (GetItem) and withdraws the key (DeleteItem)
            faults.fail("PutItem", request -> request instanceof PutItemRequest put
                    && put.conditionExpression() != null && put.conditionExpression().contains("#new = :new")
                    && put.item().get("user").s().equals("bob"));
            Map<String, Object> summary;
            try {
                summary = new RotatorHandler(RotatorConfig.from(env), rotatorCode, clockAt(rotatedAt))
                        .handleRequest(Map.of(), context());
            } catch (RotationRunFailedException expected) {
                summary = expected.summary();
            }
            assertThat(summary.toString()).contains("user=alice, action=rotated").contains("user=bob, action=failed");
            assertThat(kms.listAliases(request -> request.keyId(signing)).aliases()).isEmpty();
            assertThat(kms.getKeyRotationStatus(request -> request.keyId(symmetric)).keyRotationEnabled()).isTrue();
            // carol's deletion fails once, so the destructor writes her record back (PutItem)
            faults.heal();
            faults.fail("DeleteAccessKey", request -> request instanceof DeleteAccessKeyRequest delete
                    && delete.userName().equals("carol"));
            Instant expiresAt = rotatedAt.plus(Duration.ofDays(6));
            var destructor = new DestructorHandler(DestructorConfig.from(env), destructorCode, clockAt(expiresAt));
            Map<String, Object> expired = new Expiry(setup, output("table_name")).run(expiresAt, destructor, context());
            assertThat(expired.get("expired").toString()).contains("user=alice").contains("keyDeleted=true")
                    .contains("user=carol").contains("user=dave");
            assertThat(setup.iam().listAccessKeys(request -> request.userName("alice")).accessKeyMetadata()).hasSize(1);
            assertThat(kms.describeKey(request -> request.keyId(signing)).keyMetadata().keyStateAsString())
                    .isEqualTo("PendingDeletion");

            Set<String> rotatorCalls = rotatorCode.callCounter().snapshot().keySet();
            Set<String> destructorCalls = destructorCode.callCounter().snapshot().keySet();
            Set<String> runtime = Set.of("logs:CreateLogStream", "logs:PutLogEvents");
            Set<String> eventSourceMapping = Set.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator", "dynamodb:ListStreams", "sqs:SendMessage");
            // The MAC key items are sealed with is made by whichever function first needs it (GetParameter finds
            // none, GenerateDataKey, PutParameter) and read by every later cold start (GetParameter, Decrypt): here
            // the rotator made it and the destructor read it, and both roles may do either.
            Set<String> makesTheMacKey = Set.of("ssm:GetParameter", "kms:GenerateDataKey", "ssm:PutParameter");
            Set<String> readsTheMacKey = Set.of("ssm:GetParameter", "kms:Decrypt");
            assertThat(rotatorCalls).as("the rotator, first to seal an item").containsAll(makesTheMacKey);
            assertThat(destructorCalls).as("the destructor, after the rotator").containsAll(readsTheMacKey)
                    .doesNotContain("kms:GenerateDataKey");
            Set<String> recordSeal = union(makesTheMacKey, readsTheMacKey);
            // CreateKey's checks, never calls: the policy lockout safety check (could the caller later call
            // PutKeyPolicy under the copied key policy?) and the tags given to CreateKey (TagResource)
            Set<String> createKeyChecks = Set.of("kms:PutKeyPolicy", "kms:TagResource");
            assertThat(rotatorCalls).doesNotContainAnyElementsOf(createKeyChecks);
            Set<String> rotatorPolicy = actions(policy("iam-key-creator", "iam-key-creator-policy"));
            Set<String> destructorPolicy = actions(policy("iam-key-destructor", "iam-key-destructor-policy"));

            assertThat(rotatorPolicy).as("rotator policy vs the calls its code made")
                    .containsExactlyInAnyOrderElementsOf(union(rotatorCalls, recordSeal, runtime, createKeyChecks));
            assertThat(destructorPolicy).as("destructor policy vs the calls its code and its event source mapping made")
                    .containsExactlyInAnyOrderElementsOf(
                            union(destructorCalls, recordSeal, runtime, eventSourceMapping));
            assertThat(Stream.concat(rotatorPolicy.stream(), destructorPolicy.stream()))
                    .noneMatch(action -> action.contains("*"));
        } finally {
            restore(previous);
        }
        String trust = URLDecoder.decode(iam.getRole(request -> request.roleName("iam-key-creator")).role()
                .assumeRolePolicyDocument(), StandardCharsets.UTF_8);
        assertThat(trust).contains("lambda.amazonaws.com");
    }

    /** A KMS key of an owner, due after 30 days, with one alias. */
    private static String kmsKey(KmsClient kms, KeySpec spec, KeyUsageType usage, String alias) {
        String id = kms.createKey(request -> request.keySpec(spec).keyUsage(usage).tags(
                tag -> tag.tagKey("IKR:EMAIL").tagValue("keys@example.com"),
                tag -> tag.tagKey("IKR:ROTATE_AFTER_DAYS").tagValue("30"))).keyMetadata().keyId();
        kms.createAlias(request -> request.aliasName(alias).targetKeyId(id));
        return id;
    }

    /** The functions' code finds AWS through the SDK's settings: point them at this test's own moto for a while. */
    private Map<String, String> pointTheSdkAtThisMoto() {
        return pointTheSdkAt(moto.endpoint());
    }

    private static void restore(Map<String, String> previous) {
        previous.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    private static Map<String, String> pointTheSdkAt(java.net.URI endpoint) {
        var previous = new java.util.HashMap<String, String>();
        Map<String, String> wanted = Map.of("aws.endpointUrl", endpoint.toString(), "aws.region", Moto.REGION,
                "aws.accessKeyId", "testing", "aws.secretAccessKey", "testing");
        wanted.forEach((name, value) -> {
            previous.put(name, System.getProperty(name));
            System.setProperty(name, value);
        });
        return previous;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    private static java.time.Clock clockAt(Instant at) {
        return java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.between(Instant.now(), at));
    }

    private static dev.ikr.local.LocalContext context() {
        return dev.ikr.local.LocalContext.forAccount("iam-key", Moto.REGION, Moto.ACCOUNT_ID);
    }

    @Test
    @Order(10)
    void noMailerSecret_isCreated_whenNoneWasGiven() {
        for (String name : List.of("mailgun_ssm_parameter_arn", "smtp_ssm_parameter_arn")) {
            JsonNode value = outputs.path(name).path("value");
            assertThat(value.isNull() || value.isMissingNode()).as("output %s with mail_client ses", name).isTrue();
        }
        assertThat(ssm.describeParameters(request -> request.maxResults(50)).parameters())
                .extracting(parameter -> parameter.name())
                .as("only the per-user keys and the record MAC key of the rotation test, no mailer secret")
                .allMatch(name -> name.startsWith("/ikr/secret/iam/") || name.equals("/ikr/record-mac-key"));
    }

    @Test
    @Order(11)
    void destroy_removesEverythingTheModuleCreated() throws IOException {
        deploy.destroy(variables());
        destroyed = true;

        assertThat(resources(JSON.readTree(run("show", "-json", "-no-color")))).isEmpty();
        assertThat(dynamoDb.listTables().tableNames()).doesNotContain("iam-key-rotator");
        assertThat(iam.listRoles().roles()).noneMatch(role -> role.roleName().startsWith("iam-key-"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // terraform/examples/organization: the hub and the member role of another account (OrganizationDeployment)
    // ---------------------------------------------------------------------------------------------------------------

    /** moto does not evaluate trust policies: that the role lives in the member account is what its IAM shows. */
    @Test
    @Order(12)
    void organization_memberRole_isInTheMemberAccount_andTrustsExactlyTheHubsTwoRoles_withTheExternalId() {
        JsonNode outputs = organization.applied().outputs();
        try (IamClient member = memberAccountIam(); IamClient hub = organizationHubIam()) {
            Role role = member.getRole(request -> request.roleName("ikr-member")).role();
            assertThat(role.arn()).isEqualTo("arn:aws:iam::" + OrganizationDeployment.MEMBER_ACCOUNT + ":role/ikr-member")
                    .isEqualTo(output(outputs, "member_role_arn"));
            JsonNode trust = json(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8));
            assertThat(trust.path("Statement")).hasSize(1);
            JsonNode statement = trust.path("Statement").get(0);
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            assertThat(texts(statement.path("Action"))).containsExactly("sts:AssumeRole");
            assertThat(strings(statement.path("Principal")).keySet()).containsExactly("AWS");
            assertThat(texts(statement.path("Principal").path("AWS"))).containsExactlyInAnyOrder(
                    output(outputs, "key_creator_role_arn"), output(outputs, "key_destructor_role_arn"));
            assertThat(statement.path("Condition")).isEqualTo(json(
                    "{\"StringEquals\": {\"sts:ExternalId\": \"" + OrganizationDeployment.EXTERNAL_ID + "\"}}"));

            assertThatThrownBy(() -> hub.getRole(request -> request.roleName("ikr-member")))
                    .as("the hub's account has no member role").isInstanceOf(NoSuchEntityException.class);
        }
    }

    @Test
    @Order(13)
    void organization_memberRolePolicy_isTheHubsSingleAccountStatements_forTheMemberAccount_andNothingElse() {
        organization.applied();
        Map<String, JsonNode> member;
        Map<String, JsonNode> hub = new TreeMap<>();
        try (IamClient memberIam = memberAccountIam(); IamClient hubIam = organizationHubIam()) {
            member = bySid(policy(memberIam, "ikr-member", "ikr-member-policy"));
            hub.putAll(bySid(policy(hubIam, "iam-key-destructor", "iam-key-destructor-policy")));
            hub.putAll(bySid(policy(hubIam, "iam-key-creator", "iam-key-creator-policy")));
        }
        // the rotator's and the destructor's statements on users, per-user keys and (here) ssm: delivery targets
        assertThat(member.keySet()).containsExactlyInAnyOrder("ReadAccountUsers", "ListAccessKeys",
                "RotateAccessKeysOfTaggedUsers", "StoreDecryptionKeys", "DeliverToParameters", "NameAccount",
                "CorroborateItems", "DeleteOldAccessKeysOfTaggedUsers", "DeactivateOldAccessKeysOfTaggedUsers",
                "DeleteDecryptionKeys");
        member.forEach((sid, statement) -> assertThat(comparable(statement, OrganizationDeployment.MEMBER_ACCOUNT))
                .as("%s in the member role and in the hub's roles", sid)
                .isEqualTo(comparable(hub.get(sid), OrganizationDeployment.MEMBER_ACCOUNT)));
        assertThat(member.values()).allSatisfy(statement -> assertThat(texts(statement.path("Resource")))
                .allMatch(arn -> arn.equals("*") || arn.contains(":" + OrganizationDeployment.MEMBER_ACCOUNT + ":")));
    }

    /** A statement with its lists in order and its ARNs in {@code account}: what IAM means by it, not how it is written. */
    private static Map<String, Object> comparable(JsonNode statement, String account) {
        return Map.of("Effect", statement.path("Effect").asText(),
                "Action", new TreeSet<>(texts(statement.path("Action"))),
                "Resource", new TreeSet<>(texts(statement.path("Resource")).stream()
                        .map(arn -> arn.replace(":" + Moto.ACCOUNT_ID + ":", ":" + account + ":")).toList()),
                "Condition", statement.path("Condition"));
    }

    @Test
    @Order(14)
    void organization_accountsQueue_redrivesToItsDeadLetterQueue_andFeedsTheWorkerOneAccountAtATime() {
        OrganizationDeployment.Applied applied = organization.applied();
        List<JsonNode> state = resources(applied.state());
        JsonNode queue = resource(state, "aws_sqs_queue", "accounts", "0");
        JsonNode deadLetters = resource(state, "aws_sqs_queue", "accounts_dlq", "0");
        JsonNode mapping = resource(state, "aws_lambda_event_source_mapping", "account_worker", "0");
        JsonNode worker = resource(state, "aws_lambda_function", "this", "account_worker");
        JsonNode rotator = resource(state, "aws_lambda_function", "this", "rotator");

        assertThat(queue.path("url").asText()).isEqualTo(output(applied.outputs(), "account_queue_url"));
        assertThat(queue.path("visibility_timeout_seconds").asInt()).as("six times the worker's timeout (AWS)")
                .isEqualTo(6 * worker.path("timeout").asInt()).isEqualTo(1800);
        assertThat(queue.path("message_retention_seconds").asInt()).isEqualTo(345_600);
        assertThat(json(queue.path("redrive_policy").asText())).isEqualTo(json("{\"deadLetterTargetArn\": \""
                + output(applied.outputs(), "account_dlq_arn") + "\", \"maxReceiveCount\": 5}"));
        assertThat(deadLetters.path("arn").asText()).isEqualTo(output(applied.outputs(), "account_dlq_arn"));
        assertThat(deadLetters.path("message_retention_seconds").asInt()).as("14 days, longer than the source's")
                .isEqualTo(1_209_600);
        for (JsonNode encrypted : List.of(queue, deadLetters)) {
            assertThat(encrypted.path("sqs_managed_sse_enabled").asBoolean()).isTrue();
        }

        assertThat(mapping.path("event_source_arn").asText()).isEqualTo(queue.path("arn").asText());
        // the mapping invokes the worker's live alias; moto reports the version the alias points at
        assertThat(mapping.path("function_name").asText()).startsWith(worker.path("arn").asText() + ":");
        assertThat(mapping.path("batch_size").asInt()).isEqualTo(1);
        assertThat(texts(mapping.path("function_response_types"))).containsExactly("ReportBatchItemFailures");
        assertThat(mapping.path("scaling_config").path(0).path("maximum_concurrency").asInt())
                .isEqualTo(OrganizationDeployment.MAX_ACCOUNT_CONCURRENCY);

        assertThat(worker.path("function_name").asText())
                .isEqualTo(output(applied.outputs(), "account_worker_function_name")).isEqualTo("iam-key-account-worker");
        assertThat(worker.path("handler").asText()).isEqualTo("dev.ikr.rotator.AccountWorkerHandler::handleRequest");
        assertThat(worker.path("role").asText()).isEqualTo(output(applied.outputs(), "key_creator_role_arn"))
                .isEqualTo(rotator.path("role").asText());
        for (String setting : List.of("runtime", "timeout", "memory_size", "source_code_hash")) {
            assertThat(worker.path(setting)).as("the worker's %s is the rotator's", setting)
                    .isEqualTo(rotator.path(setting));
        }
        assertThat(environment(worker)).isEqualTo(environment(rotator)).containsAllEntriesOf(Map.of(
                "ACCOUNTS", OrganizationDeployment.MEMBER_ACCOUNT,
                "MEMBER_ROLE_NAME", "ikr-member",
                "MEMBER_EXTERNAL_ID", OrganizationDeployment.EXTERNAL_ID,
                "ACCOUNT_QUEUE_URL", queue.path("url").asText()));
        assertThat(environment(resource(state, "aws_lambda_function", "this", "destructor")))
                .containsAllEntriesOf(Map.of("MEMBER_ROLE_NAME", "ikr-member",
                        "MEMBER_EXTERNAL_ID", OrganizationDeployment.EXTERNAL_ID))
                .as("an item names its account").doesNotContainKeys("ACCOUNTS", "ACCOUNT_QUEUE_URL");
    }

    @Test
    @Order(15)
    void organization_hubRoles_mayAssumeOnlyTheListedMemberRole_andOnlyTheRotatorsRoleUsesTheQueue() {
        OrganizationDeployment.Applied applied = organization.applied();
        String queueArn = resource(resources(applied.state()), "aws_sqs_queue", "accounts", "0").path("arn").asText();
        Map<String, JsonNode> rotator;
        Map<String, JsonNode> destructor;
        try (IamClient hub = organizationHubIam()) {
            rotator = bySid(policy(hub, "iam-key-creator", "iam-key-creator-policy"));
            destructor = bySid(policy(hub, "iam-key-destructor", "iam-key-destructor-policy"));
        }
        String memberRole = "arn:aws:iam::" + OrganizationDeployment.MEMBER_ACCOUNT + ":role/ikr-member";
        for (Map<String, JsonNode> role : List.of(rotator, destructor)) {
            assertThat(texts(role.get("AssumeMemberRoles").path("Action"))).containsExactly("sts:AssumeRole");
            assertThat(texts(role.get("AssumeMemberRoles").path("Resource"))).containsExactly(memberRole);
        }
        assertThat(texts(rotator.get("DispatchAccounts").path("Action"))).containsExactly("sqs:SendMessage");
        assertThat(texts(rotator.get("ReceiveAccounts").path("Action"))).containsExactlyInAnyOrder(
                "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
        for (String sid : List.of("DispatchAccounts", "ReceiveAccounts")) {
            assertThat(texts(rotator.get(sid).path("Resource"))).as(sid).containsExactly(queueArn);
        }
        assertThat(rotator).as("a list of accounts needs no Organizations call").doesNotContainKey("ListOrganizationAccounts");
        assertThat(texts(rotator.get("WriteOwnLogs").path("Resource"))).containsExactlyInAnyOrder(
                "arn:aws:logs:us-east-1:" + Moto.ACCOUNT_ID + ":log-group:/aws/lambda/iam-key-creator:*",
                "arn:aws:logs:us-east-1:" + Moto.ACCOUNT_ID + ":log-group:/aws/lambda/iam-key-account-worker:*");
        assertThat(destructor).doesNotContainKeys("DispatchAccounts", "ReceiveAccounts", "ListOrganizationAccounts");
    }

    @Test
    @Order(16)
    void organization_alarms_watchTheDeadLetterQueue_andTheAccountWorker() {
        OrganizationDeployment.Applied applied = organization.applied();
        String worker = "iam-key-account-worker";
        String deadLetters = "iam-key-creator-accounts-dlq";
        Map<String, List<String>> expected = Map.of(
                "account_dead_letters", List.of(deadLetters + "-messages", "AWS/SQS",
                        "ApproximateNumberOfMessagesVisible", "QueueName=" + deadLetters, "Maximum"),
                "account_worker_errors", List.of(worker + "-errors", "AWS/Lambda", "Errors", "FunctionName=" + worker),
                "account_worker_failed", List.of(worker + "-failed-users", "IKR", "Failed", "FunctionName=" + worker),
                "account_worker_needs_attention", List.of(worker + "-needs-attention", "IKR", "NeedsAttention",
                        "FunctionName=" + worker),
                "account_worker_unverified_record", List.of(worker + "-unverified-record", "IKR", "UnverifiedRecord",
                        "FunctionName=" + worker));
        Map<String, String> names = strings(applied.outputs().path("alarm_names").path("value"));
        assertThat(names).containsKeys(expected.keySet().toArray(String[]::new)).containsKey("rotator_missed_run");
        // the example gives no alarm_email or topic: the alarms notify nobody
        assertAlarms(resources(applied.state()), expected, names, List.of());
    }

    /**
     * The "runs a rotation in the member account": the account worker, in-process with the deployed worker's
     * environment, takes a message for the member account as the mapping would deliver it. The old key of a tagged
     * user of the member account is replaced there; the hub's table holds the rotation's item naming that account; the
     * user's decryption key is in the member account's SSM, not the hub's. (Nothing is sent to the deployed queue:
     * with its mapping enabled, moto would try to run the function in Docker.)
     */
    @Test
    @Order(17)
    void organization_rotation_runsInTheMemberAccount_throughTheAccountWorker() {
        OrganizationDeployment.Applied applied = organization.applied();
        Map<String, String> env = environment(resource(resources(applied.state()), "aws_lambda_function", "this",
                "account_worker"));
        String oldKey;
        try (IamClient member = memberAccountIam(); IamClient hub = organizationHubIam()) {
            member.createUser(request -> request.userName("member-alice")
                    .tags(tag -> tag.key("IKR:EMAIL").value("member-alice@example.com")));
            oldKey = member.createAccessKey(request -> request.userName("member-alice")).accessKey().accessKeyId();
            assertThat(hub.listUsers().users()).noneMatch(user -> user.userName().equals("member-alice"));
        }
        Map<String, String> previous = pointTheSdkAt(organization.endpoint());
        try {
            var clients = new AwsClients();
            clients.ses().verifyEmailIdentity(request -> request.emailAddress(env.get("MAIL_FROM")));
            var message = new com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage();
            message.setMessageId("m-1");
            message.setBody("{\"account\":\"" + OrganizationDeployment.MEMBER_ACCOUNT + "\",\"dispatchedAt\":\""
                    + Instant.now() + "\",\"continuation\":0}");
            var event = new com.amazonaws.services.lambda.runtime.events.SQSEvent();
            event.setRecords(List.of(message));

            var response = new dev.ikr.rotator.AccountWorkerHandler(RotatorConfig.from(env), clients,
                    clockAt(Instant.now().plus(Duration.ofDays(100)))).handleRequest(event, context());

            assertThat(response.getBatchItemFailures()).as("the member account's message succeeds").isEmpty();
            var items = clients.dynamoDb().scan(request -> request.tableName(env.get("IAM_KEY_ROTATOR_TABLE")))
                    .items();
            assertThat(items).filteredOn(item -> item.get("user").s().equals("member-alice")
                            && item.get("ak").s().equals(oldKey))
                    .singleElement()
                    .satisfies(item -> assertThat(item.get("account").s())
                            .isEqualTo(OrganizationDeployment.MEMBER_ACCOUNT));
            assertThat(clients.ssm().describeParameters().parameters())
                    .as("the hub's SSM holds no member user's key")
                    .noneMatch(parameter -> parameter.name().equals("/ikr/secret/iam/member-alice"));
        } finally {
            restore(previous);
        }
        try (IamClient member = memberAccountIam(); SsmClient memberSsm = memberAccount(SsmClient.builder())) {
            assertThat(member.listAccessKeys(request -> request.userName("member-alice")).accessKeyMetadata())
                    .as("the new key beside the old one, in the member account").hasSize(2)
                    .anyMatch(key -> key.accessKeyId().equals(oldKey));
            assertThat(memberSsm.getParameter(request -> request.name("/ikr/secret/iam/member-alice")
                    .withDecryption(false)).parameter().type().toString()).isEqualTo("SecureString");
        }
    }

    private IamClient organizationHubIam() {
        return aws(IamClient.builder(), organization.endpoint(), AwsBasicCredentials.create("testing", "testing"))
                .build();
    }

    /** IAM of the member account, as the hub's functions reach it: through its member role, with the external id. */
    private IamClient memberAccountIam() {
        return memberAccount(IamClient.builder());
    }

    /** A client of the member account, through its member role, with the external id. */
    private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C memberAccount(B builder) {
        try (StsClient sts = aws(StsClient.builder(), organization.endpoint(),
                AwsBasicCredentials.create("testing", "testing")).build()) {
            var credentials = sts.assumeRole(request -> request
                    .roleArn("arn:aws:iam::" + OrganizationDeployment.MEMBER_ACCOUNT + ":role/ikr-member")
                    .roleSessionName("ikr-rotator").externalId(OrganizationDeployment.EXTERNAL_ID)).credentials();
            return aws(builder, organization.endpoint(), AwsSessionCredentials.create(
                    credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())).build();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Map<String, String> variables() {
        var variables = new java.util.LinkedHashMap<String, String>();
        variables.put("aws_endpoint", moto.endpoint().toString());
        variables.put("rotator_jar_path", ROTATOR_JAR.toString());
        variables.put("destructor_jar_path", DESTRUCTOR_JAR.toString());
        variables.put("mail_from", "ikr@example.com");
        variables.put("enable_snapstart", "false");
        // the module protects the table by default; this stack is destroyed at the end
        variables.put("deletion_protection_enabled", "false");
        variables.put("alarm_email", "ops@example.com");
        variables.put("table_admin_principal_arns", "[\"" + TABLE_ADMIN + "\"]");
        variables.put("enable_kms_rotation", "true");
        variables.put("kms_enable_auto_rotation", "true");
        return variables;
    }

    private String run(String... arguments) {
        return deploy.run(arguments);
    }

    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B aws(B builder) {
        return aws(builder, moto.endpoint(), AwsBasicCredentials.create("testing", "testing"));
    }

    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B aws(B builder, URI endpoint,
            AwsCredentials credentials) {
        return builder.endpointOverride(endpoint)
                .region(Region.of(Moto.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(http);
    }

    private String output(String name) {
        return output(outputs, name);
    }

    /** An output of {@code terraform output -json}. */
    private static String output(JsonNode outputs, String name) {
        JsonNode output = outputs.path(name);
        assertThat(output.isMissingNode()).as("output %s", name).isFalse();
        return output.path("value").asText();
    }

    private JsonNode resource(String type, String name) {
        return resource(resources, type, name, null);
    }

    private JsonNode resource(String type, String name, String key) {
        return resource(resources, type, name, key);
    }

    /** A resource by type and name, and by its {@code for_each} key or {@code count} index when {@code key} is set. */
    private static JsonNode resource(List<JsonNode> resources, String type, String name, String key) {
        String address = type + "." + name + (key == null ? "" : "[\"" + key + "\"]");
        return resources.stream()
                .filter(resource -> resource.path("type").asText().equals(type)
                        && resource.path("name").asText().equals(name)
                        && (key == null || resource.path("index").asText().equals(key)))
                .findFirst()
                .map(resource -> resource.path("values"))
                .orElseThrow(() -> new AssertionError("no " + address + " in the state"));
    }

    private static Map<String, String> environment(JsonNode function) {
        return strings(function.path("environment").path(0).path("variables"));
    }

    private static Map<String, String> strings(JsonNode variables) {
        Map<String, String> result = new TreeMap<>();
        variables.fields().forEachRemaining(field -> result.put(field.getKey(), field.getValue().asText()));
        return result;
    }

    private JsonNode policy(String role, String name) {
        return policy(iam, role, name);
    }

    /** The inline policy {@code name} of {@code role}, as IAM returns it. */
    private static JsonNode policy(IamClient iam, String role, String name) {
        String document = iam.getRolePolicy(request -> request.roleName(role).policyName(name)).policyDocument();
        try {
            return JSON.readTree(URLDecoder.decode(document, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("policy " + name + " is not JSON: " + document, e);
        }
    }

    private static JsonNode json(String document) {
        try {
            return JSON.readTree(document);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + document, e);
        }
    }

    /** A policy's statements by their Sid; every statement has one. */
    private static Map<String, JsonNode> bySid(JsonNode policy) {
        Map<String, JsonNode> statements = new TreeMap<>();
        for (JsonNode statement : policy.path("Statement")) {
            assertThat(statement.path("Sid").asText()).as("Sid of %s", statement).isNotEmpty();
            statements.put(statement.path("Sid").asText(), statement);
        }
        return statements;
    }

    private static Map<String, String> merged(Map<String, String> shared, Map<String, String> own) {
        var merged = new java.util.HashMap<>(shared);
        merged.putAll(own);
        return merged;
    }

    private static Set<String> actions(JsonNode policy) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : policy.path("Statement")) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            assertThat(statement.has("NotAction")).as("NotAction in %s", statement).isFalse();
            JsonNode action = statement.path("Action");
            if (action.isArray()) {
                actions.addAll(texts(action));
            } else {
                actions.add(action.asText());
            }
        }
        return actions;
    }

    /** The strings of a policy element that is an array or, as IAM writes one value, a single string. */
    private static List<String> texts(JsonNode array) {
        if (array.isTextual()) {
            return List.of(array.asText());
        }
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** Every resource in {@code terraform show -json}, the module's included. */
    private static List<JsonNode> resources(JsonNode state) {
        List<JsonNode> found = new ArrayList<>();
        collect(state.path("values").path("root_module"), found);
        return found;
    }

    private static void collect(JsonNode module, List<JsonNode> found) {
        module.path("resources").forEach(found::add);
        module.path("child_modules").forEach(child -> collect(child, found));
    }


    private static void closeQuietly(AutoCloseable client) {
        if (client != null) {
            try {
                client.close();
            } catch (Exception ignored) {
                // closing a client of a moto that is about to stop
            }
        }
    }

}
