package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.cli.TerraformDeploy;
import dev.ikr.testbed.Moto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What AWS or the functions would refuse later is refused by {@code terraform plan}: the complete example, initialised
 * once, planned (never applied) against a moto of its own with one bad input at a time, given through a Terraform
 * override file of the example's module block. Each case asserts the message the operator reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformValidationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String RECORD_KEY_ARN =
            "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    private static final String ALIAS_ARN = "arn:aws:kms:us-east-1:123456789012:alias/ikr";
    private static final String ALARM_TOPIC = "arn:aws:sns:us-east-1:123456789012:ops-alarms";
    private static final String SECRET_KEY_ARN =
            "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef";
    private static final String SMTP = "mail_client = \"smtp\"\nsmtp_server = \"smtp.example.com\"\n";

    @TempDir
    static Path work;

    private Path terraform;
    private TerraformDeploy deploy;
    private Path override;
    private Moto moto;

    @BeforeAll
    void initTheCompleteExample() throws IOException {
        terraform = TerraformDeploy.terraformOnPath().orElse(null);
        if (terraform == null) {
            return; // each test is skipped, with the reason, by terraformIsInstalled()
        }
        moto = Moto.start();
        deploy = TerraformDeploy.prepare(terraform, REPOSITORY, work);
        override = work.resolve("terraform/examples/complete/validation_override.tf");
    }

    @BeforeEach
    void terraformIsInstalled() {
        Assumptions.assumeTrue(terraform != null,
                "terraform is not installed: put terraform (1.5 or newer) on the PATH to test the module's validation");
    }

    @AfterEach
    void removeTheOverride() throws IOException {
        if (override != null) {
            Files.deleteIfExists(override);
        }
    }

    @AfterAll
    void stopMoto() {
        if (moto != null) {
            moto.stop();
        }
        if (deploy != null) {
            deploy.removeInitialisation();
        }
    }

    static Stream<Arguments> refusedInputs() {
        String longDomain = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(63));
        return Stream.of(
                refused("KMS keys by a deployment of many accounts",
                        "enable_kms_rotation = true\naccounts = \"111111111111\"",
                        "enable_kms_rotation needs accounts = \"self\""),
                refused("deactivation not before the deletion", "deactivate_after_days = 5\ndelete_after_days = 5",
                        "deactivate_after_days (5) must be smaller than delete_after_days (5)"),
                refused("cron with * in both day fields", "cron_expression = \"0 12 * * * *\"",
                        "cron_expression must have ? in exactly one of day-of-month (third field) and day-of-week"),
                refused("cron with ? in both day fields", "cron_expression = \"0 12 ? * ? *\"",
                        "cron_expression must have ? in exactly one of day-of-month"),
                refused("cron with the cron(...) wrapper", "cron_expression = \"cron(0 12 * * ? *)\"",
                        "without the cron(...) wrapper"),
                refused("cron with five fields", "cron_expression = \"0 12 * * ?\"",
                        "cron_expression must be an EventBridge cron expression of six fields"),
                refused("cron hour 24", "cron_expression = \"0 24 * * ? *\"",
                        "cron_expression has a field EventBridge refuses"),
                refused("cron year 1969", "cron_expression = \"0 12 * * ? 1969\"",
                        "cron_expression has a field EventBridge refuses"),
                refused("cron with two # expressions", "cron_expression = \"0 12 ? * 3#1,6#3 *\"",
                        "cron_expression has a field EventBridge refuses"),
                refused("table key alias", "kms_key_arn = \"" + ALIAS_ARN + "\"",
                        "kms_key_arn must be the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias"),
                refused("log key alias", "cw_logs_kms_key_arn = \"" + ALIAS_ARN + "\"",
                        "cw_logs_kms_key_arn must be the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias"),
                refused("mailer secret key alias", "mailer_secret_kms_key_arn = \"" + ALIAS_ARN + "\"",
                        "mailer_secret_kms_key_arn must be the key ARN"),
                refused("user secret key alias", "secret_kms_key_arn = \"" + ALIAS_ARN + "\"",
                        "secret_kms_key_arn must be the key ARN"),
                refused("record key alias", "record_kms_key_arn = \"" + ALIAS_ARN + "\"",
                        "record_kms_key_arn must be the key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an"
                                + " alias: the functions check that KMS names this very key in its answers"),
                refused("record key of another service", "record_kms_key_arn = \"arn:aws:iam::123456789012:role/kms\"",
                        "record_kms_key_arn must be the ARN of a KMS key"),
                refused("record key deletion window of 6 days", "record_kms_key_deletion_window_in_days = 6",
                        "record_kms_key_deletion_window_in_days must be a whole number of days from 7 to 30"),
                refused("admin_email with a display name", "admin_email = \"IKR admins <ikr-admins@example.com>\"",
                        "admin_email must be a plain mail address such as ikr-admins@example.com"),
                refused("table admin as an assumed-role session", "table_admin_principal_arns = "
                        + "[\"arn:aws:sts::123456789012:assumed-role/ikr-operator/alice\"]",
                        "table_admin_principal_arns must hold IAM role or user ARNs",
                        "not an assumed-role session ARN"),
                refused("table admin as a bare account id", "table_admin_principal_arns = [\"123456789012\"]",
                        "table_admin_principal_arns must hold IAM role or user ARNs"),
                refused("no key administrator", "key_admin_principal_arns = []",
                        "key_admin_principal_arns must list IAM ARNs"),
                refused("key ARN without a key id",
                        "kms_key_arn = \"arn:aws:kms:us-east-1:123456789012:key/not-a-key-id\"",
                        "kms_key_arn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>), or null."),
                refused("null smtp_protocol (ssl) on 587", SMTP + "smtp_port = 587",
                        "smtp_port 587 does not speak smtp_protocol ssl",
                        "a null smtp_protocol means ssl, as in the original module"),
                refused("ssl on 25", SMTP + "smtp_protocol = \"ssl\"\nsmtp_port = 25",
                        "smtp_port 25 does not speak smtp_protocol ssl"),
                refused("starttls on 465", SMTP + "smtp_protocol = \"starttls\"\nsmtp_port = 465",
                        "smtp_port 465 speaks TLS from the first byte, which needs smtp_protocol ssl, not starttls"),
                refused("plain without plaintext auth", SMTP + "smtp_protocol = \"plain\"",
                        "smtp_protocol plain needs smtp_allow_plaintext_auth = true"),
                refused("rotate_after_days over a hundred years", "rotate_after_days = 36501",
                        "rotate_after_days must be a whole number of days from 1 to 36500"),
                refused("delete_after_days 0", "delete_after_days = 0",
                        "delete_after_days must be a whole number of days from 1 to 36500"),
                refused("max_concurrency 65", "max_concurrency = 65",
                        "max_concurrency must be a whole number from 1 to 64"),
                refused("retry_after_mins over a week", "retry_after_mins = 10081",
                        "retry_after_mins must be a whole number of minutes from 1 to 10080"),
                refused("max_delete_attempts 0", "max_delete_attempts = 0",
                        "max_delete_attempts must be a whole number from 1 to 1000"),
                refused("mail_from with a display name", "mail_from = \"IKR <ikr@example.com>\"",
                        "mail_from must be a plain mail address such as ikr@example.com"),
                refused("mail_from with a non-ASCII domain", "mail_from = \"ikr@exämple.com\"",
                        "mail_from must be a plain mail address"),
                refused("allowed domain longer than 253", "allowed_email_domains = [\"" + longDomain + "\"]",
                        "allowed_email_domains must hold domain names"),
                refused("allowed domain with an @", "allowed_email_domains = [\"@example.com\"]",
                        "allowed_email_domains must hold domain names"),
                refused("alarm topic that is a queue",
                        "alarm_topic_arn = \"arn:aws:sqs:us-east-1:123456789012:ikr-alarms\"",
                        "alarm_topic_arn must be the ARN of a standard SNS topic"),
                refused("alarm email with a display name", "alarm_email = \"Ops <ops@example.com>\"",
                        "alarm_email must be a plain mail address such as ops@example.com, or null."),
                refused("metrics namespace reserved for AWS", "metrics_namespace = \"AWS/Lambda\"",
                        "metrics_namespace must be a CloudWatch namespace"),
                refused("metrics namespace with a character CloudWatch refuses", "metrics_namespace = \"IKR!\"",
                        "metrics_namespace must be a CloudWatch namespace"),
                refused("missed-run window over the 7 days CloudWatch evaluates",
                        "rotator_missed_run_alarm_hours = 169",
                        "rotator_missed_run_alarm_hours must be a whole number of hours from 2 to 168"),
                refused("mailgun over http", "mail_client = \"mailgun\"\nmailgun_api_url = \"http://api.mailgun.net/v3/mg\"",
                        "mailgun_api_url must be an https URL"),
                refused("mailgun without its URL", "mail_client = \"mailgun\"",
                        "mailgun_api_url is required when mail_client is mailgun"),
                refused("smtp without its server", "mail_client = \"smtp\"",
                        "smtp_server is required when mail_client is smtp"),
                refused("delivery secret prefix with a space", "delivery_secret_prefix = \"ikr keys/\"",
                        "delivery_secret_prefix must be the start of a secret name"),
                refused("delivery parameter prefix without its leading /", "delivery_parameter_prefix = \"ikr/keys/\"",
                        "delivery_parameter_prefix must be the start of a parameter path"),
                refused("delivery parameter prefix over IKR's own parameters", "delivery_parameter_prefix = \"/ikr/\"",
                        "delivery_parameter_prefix must not reach IKR's own parameters"),
                refused("delivery function given by its ARN",
                        "delivery_functions = [\"arn:aws:lambda:us-east-1:123456789012:function:deliver\"]",
                        "delivery_functions must hold function names"),
                refused("delivery to IKR's own rotator, and a parameter prefix over the mailer's secret", SMTP
                        + "smtp_password_parameter_name = \"/mail/smtp\"\ndelivery_parameter_prefix = \"/mail/\"\n"
                        + "delivery_functions = [\"iam-key-creator\"]",
                        "delivery_parameter_prefix must not reach the mailer's secret /mail/smtp",
                        "delivery_functions must not name IKR's own functions"),
                refused("accounts of an OU id too short", "accounts = \"organization:ou-ab12-cd34\"",
                        "accounts must be self, organization, organization:<ou-id>[,<ou-id>...]"),
                // short entries: Terraform prints the value with each refusal, and a round's refusals must fit in
                // the output tail a failed plan reports
                refused("accounts of 101 entries, all the same and none an account id",
                        "accounts = \"" + String.join(",", java.util.Collections.nCopies(101, "1")) + "\"",
                        "accounts must be self, organization, organization:<ou-id>[,<ou-id>...]",
                        "accounts names an account or OU twice", "accounts lists more than 100 accounts"),
                refused("account worker name with a dot", "account_worker_function_name = \"ikr.worker\"",
                        "account_worker_function_name must be 1 to 64 characters"),
                refused("member role name with a path", "member_role_name = \"ikr/member\"",
                        "member_role_name must be an IAM role name"),
                refused("member external id of one character", "member_external_id = \"x\"",
                        "member_external_id must be 2 to 1224 characters"),
                refused("account concurrency 1", "max_account_concurrency = 1",
                        "max_account_concurrency must be a whole number from 2 to 1000"),
                refused("max receive count 0", "account_max_receive_count = 0",
                        "account_max_receive_count must be a whole number from 1 to 1000"),
                refused("account concurrency above the reserved concurrency",
                        "accounts = \"organization\"\nreserved_concurrent_executions = 4\nmax_account_concurrency = 5",
                        "max_account_concurrency (5) must not exceed reserved_concurrent_executions (4)"));
    }

    @ParameterizedTest(name = "plan refuses {0}")
    @MethodSource("refusedInputs")
    void plan_refusesTheInput_withAMessageNamingTheRule(String description, String inputs, List<String> messages) {
        int round = ROUNDS.roundOf(description);
        String refusal = oneLine(refusals.computeIfAbsent(round, this::planExpectingRefusal));

        for (String message : messages) {
            // not preceded by a name's letter: kms_key_arn's message must not be found inside cw_logs_kms_key_arn's
            assertThat(names(refusal, message))
                    .as("%s: plan names '%s' (planned together with %s)", description, message,
                            ROUNDS.descriptions(round))
                    .isTrue();
        }
    }

    /**
     * The refused inputs, planned in rounds: Terraform checks every input variable before it plans and reports every
     * refusal at once, so inputs of different variables share one plan. It checks the variables of a module the hub
     * calls (modules/key-access-policy: the delivery targets and secret_kms_key_arn) only once the hub's own pass, so
     * those cases share rounds of their own; a precondition (any case that picks a mailer, sets
     * deactivate_after_days, or a reserved concurrency for the account worker) only once all variables pass, so each
     * such case is planned alone.
     */
    private static final Rounds ROUNDS = Rounds.of(refusedInputs().map(Arguments::get).toList());

    private final Map<Integer, String> refusals = new ConcurrentHashMap<>();

    private String planExpectingRefusal(int round) {
        try {
            writeOverride(ROUNDS.inputs(round));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // plan validates the configuration first: a refusal that validate already gives (an input variable's rule) is
        // plan's too, found in a third of the time; a precondition, or any message validate does not give, is planned
        Throwable validation = ROUNDS.onlyPlanned(round) ? null : org.assertj.core.api.Assertions.catchThrowable(
                () -> deploy.run("validate", "-no-color"));
        if (validation instanceof IllegalStateException && ROUNDS.messages(round).stream()
                .allMatch(message -> names(validation.getMessage(), message))) {
            return validation.getMessage();
        }
        Throwable refusal = org.assertj.core.api.Assertions.catchThrowable(this::plan);
        assertThat(refusal).as("plan of %s", ROUNDS.descriptions(round)).isInstanceOf(IllegalStateException.class);
        return refusal.getMessage();
    }

    /** Whether {@code refusal} gives {@code message}, not preceded by a name's letter (see the test). */
    private static boolean names(String refusal, String message) {
        return Pattern.compile("(?<![a-z_])" + Pattern.quote(oneLine(message))).matcher(oneLine(refusal)).find();
    }

    /**
     * Cases grouped so that no variable appears twice in a round, the called module's cases only with each other, and a
     * precondition case alone; a few a round.
     */
    private record Rounds(List<List<Object[]>> rounds) {

        private static final Pattern ASSIGNED = Pattern.compile("(?m)^\\s*([a-z_]+)\\s*=");
        /** Inputs whose cases are checked by a precondition, after every variable passed: each planned alone. */
        private static final Set<String> PRECONDITION_INPUTS =
                Set.of("mail_client", "deactivate_after_days", "reserved_concurrent_executions",
                        "enable_kms_rotation");
        /** Inputs checked by modules/key-access-policy, after the hub's own variables passed. */
        private static final Set<String> CALLED_MODULE_INPUTS = Set.of("secret_kms_key_arn", "delivery_secret_prefix",
                "delivery_parameter_prefix", "delivery_functions");
        /** So that every refusal of a round fits in the output tail a failed terraform command reports. */
        private static final int MOST_PER_ROUND = 7;

        static Rounds of(List<Object[]> cases) {
            List<List<Object[]>> rounds = new ArrayList<>();
            List<Set<String>> names = new ArrayList<>();
            for (Object[] testCase : cases) {
                Set<String> assigned = assigned((String) testCase[1]);
                boolean alone = precondition(assigned);
                boolean calledModule = !java.util.Collections.disjoint(assigned, CALLED_MODULE_INPUTS);
                int round = alone ? -1 : java.util.stream.IntStream.range(0, rounds.size())
                        .filter(i -> java.util.Collections.disjoint(names.get(i), PRECONDITION_INPUTS)
                                && rounds.get(i).size() < MOST_PER_ROUND)
                        .filter(i -> calledModule == !java.util.Collections.disjoint(names.get(i), CALLED_MODULE_INPUTS))
                        .filter(i -> java.util.Collections.disjoint(names.get(i), assigned))
                        .findFirst().orElse(-1);
                if (round < 0) {
                    rounds.add(new ArrayList<>());
                    names.add(new TreeSet<>());
                    round = rounds.size() - 1;
                }
                rounds.get(round).add(testCase);
                names.get(round).addAll(assigned);
            }
            return new Rounds(rounds);
        }

        /**
         * Whether only a plan gives a round's refusals: a precondition (one of {@link #PRECONDITION_INPUTS}), or a called
         * module's variable (validate checks the root module's only).
         */
        boolean onlyPlanned(int round) {
            Set<String> assigned = assigned(inputs(round));
            return precondition(assigned) || !java.util.Collections.disjoint(assigned, CALLED_MODULE_INPUTS);
        }

        /** The input variables {@code inputs} assigns. */
        private static Set<String> assigned(String inputs) {
            Set<String> assigned = new TreeSet<>();
            Matcher matcher = ASSIGNED.matcher(inputs);
            while (matcher.find()) {
                assigned.add(matcher.group(1));
            }
            return assigned;
        }

        private static boolean precondition(Set<String> assigned) {
            return !java.util.Collections.disjoint(assigned, PRECONDITION_INPUTS);
        }

        int roundOf(String description) {
            for (int i = 0; i < rounds.size(); i++) {
                for (Object[] testCase : rounds.get(i)) {
                    if (testCase[0].equals(description)) {
                        return i;
                    }
                }
            }
            throw new IllegalArgumentException("no case " + description);
        }

        String inputs(int round) {
            return String.join("\n", rounds.get(round).stream().map(testCase -> (String) testCase[1]).toList());
        }

        @SuppressWarnings("unchecked")
        List<String> messages(int round) {
            return rounds.get(round).stream().flatMap(testCase -> ((List<String>) testCase[2]).stream()).toList();
        }

        List<Object> descriptions(int round) {
            return rounds.get(round).stream().map(testCase -> testCase[0]).toList();
        }
    }

    @Test
    void plan_acceptsWhatAwsAccepts_protectsTheTable_aNullSmtpProtocolMeansSsl_andTheDeliveryTargetsAreGranted()
            throws IOException {
        writeOverride(SMTP + """
                cron_expression           = "0/15 8-17 ? * MON-FRI *"
                kms_key_arn               = "%s"
                secret_kms_key_arn        = "%s"
                encrypt_key_pair          = false
                allowed_email_domains     = ["example.com", ".corp.example.org"]
                metrics_namespace         = "Security/IKR"
                alarm_topic_arn           = "%s"
                alarm_email               = "ops@example.com"
                record_kms_key_arn        = "%s"
                table_admin_principal_arns = ["arn:aws:iam::123456789012:role/ops/ikr-operator-*"]
                key_admin_principal_arns  = ["arn:aws:iam::123456789012:role/deployer"]
                admin_email               = "ikr-admins@example.com"
                delivery_secret_prefix    = "ikr/"
                delivery_parameter_prefix = "/ikr/keys/"
                delivery_functions        = ["deliver-ci-key", "deliver-db-key"]
                """.formatted(KEY_ARN, SECRET_KEY_ARN, ALARM_TOPIC, RECORD_KEY_ARN));

        plan("-out=validation.tfplan");
        JsonNode plan = JSON.readTree(deploy.run("show", "-json", "-no-color", "validation.tfplan"));
        JsonNode planned = plan.path("planned_values").path("root_module").path("child_modules").path(0)
                .path("resources");

        JsonNode rotator = resource(planned, "module.iam_key_rotator.aws_lambda_function.this[\"rotator\"]");
        JsonNode variables = rotator.path("environment").path(0).path("variables");
        assertThat(variables.path("SMTP_PROTOCOL").asText()).isEqualTo("ssl");
        assertThat(variables.has("SMTP_PORT")).as("no SMTP_PORT: the functions take 465 for ssl").isFalse();
        for (String function : List.of("rotator", "destructor")) {
            String address = "module.iam_key_rotator.aws_lambda_function.this[\"" + function + "\"]";
            JsonNode functionVariables = resource(planned, address)
                    .path("environment").path(0).path("variables");
            assertThat(functionVariables.path("RECORD_KMS_KEY_ID").asText()).as(function).isEqualTo(RECORD_KEY_ARN);
            assertThat(functionVariables.path("ADMIN_EMAIL").asText()).as(function)
                    .isEqualTo("ikr-admins@example.com");
        }
        assertThat(planned.findValuesAsText("address")).as("no record key is created when one is given")
                .noneMatch(address -> address.contains(".aws_kms_key.record")
                        || address.contains(".aws_kms_alias.record"))
                .contains("module.iam_key_rotator.aws_dynamodb_resource_policy.table[0]");
        assertThat(resource(planned, "module.iam_key_rotator.aws_dynamodb_table.this")
                .path("deletion_protection_enabled").asBoolean()).isTrue();
        assertThat(resource(planned, "module.iam_key_rotator.aws_cloudwatch_log_group.this[\"rotator\"]")
                .path("skip_destroy").asBoolean()).isFalse();
        assertThat(variables.path("METRICS_NAMESPACE").asText()).isEqualTo("Security/IKR");
        JsonNode failedUsers = resource(planned,
                "module.iam_key_rotator.aws_cloudwatch_metric_alarm.this[\"rotator_failed\"]");
        assertThat(failedUsers.path("namespace").asText()).as("the alarms watch the functions' namespace")
                .isEqualTo("Security/IKR");
        assertThat(failedUsers.path("alarm_actions").toString()).isEqualTo("[\"" + ALARM_TOPIC + "\"]");
        assertThat(planned.findValuesAsText("type")).as("no topic of its own when alarm_topic_arn is given")
                .doesNotContain("aws_sns_topic", "aws_sns_topic_subscription");

        assertThat(variables.path("DELIVERY_SECRET_PREFIX").asText()).isEqualTo("ikr/");
        assertThat(variables.path("DELIVERY_PARAMETER_PREFIX").asText()).isEqualTo("/ikr/keys/");
        assertThat(variables.path("DELIVERY_FUNCTIONS").asText()).isEqualTo("deliver-ci-key,deliver-db-key");
        assertThat(variables.path("SECRET_KMS_KEY_ID").asText())
                .as("the ssm: targets' customer key, even without encrypt_key_pair").isEqualTo(SECRET_KEY_ARN);
        String account = "arn:aws:%s:us-east-1:" + Moto.ACCOUNT_ID + ":";
        JsonNode delivery = readPolicyDocument(plan, "module.key_access.data.aws_iam_policy_document.delivery_targets")
                .path("Statement");
        assertThat(delivery).hasSize(3);
        assertStatement(delivery.get(0), "DeliverToSecrets", List.of("secretsmanager:CreateSecret",
                "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue"),
                List.of(account.formatted("secretsmanager") + "secret:ikr/*"));
        assertStatement(delivery.get(1), "DeliverToParameters", List.of("ssm:PutParameter"),
                List.of(account.formatted("ssm") + "parameter/ikr/keys/*"));
        assertStatement(delivery.get(2), "DeliverToFunctions", List.of("lambda:InvokeFunction"),
                List.of(account.formatted("lambda") + "function:deliver-ci-key",
                        account.formatted("lambda") + "function:deliver-db-key"));
        assertStatement(readPolicyDocument(plan, "module.key_access.data.aws_iam_policy_document.user_keys_kms")
                .path("Statement").get(0), "EncryptDecryptionKeys", List.of("kms:Encrypt"), List.of(SECRET_KEY_ARN));
    }

    /**
     * The hub of an organization's OUs, the accounts the organization lists: the rotator may list them and both roles
     * may assume the member role of any account (the organization decides which). The functions' environment is
     * known only after apply (the queue's URL); TerraformModuleIT checks it, for a list of accounts.
     */
    @Test
    void plan_acceptsAnOrganizationsOus_andGrantsTheOrganizationsAccountsAndAnyAccountsMemberRole() throws IOException {
        writeOverride("""
                accounts                  = "organization:ou-ab12-cd34ef56,ou-ab12-0123456789abcdef"
                member_role_name          = "ikr-member-role"
                member_external_id        = "ikr:hub/1"
                max_account_concurrency   = 1000
                account_max_receive_count = 1000
                """);

        plan("-out=validation.tfplan");
        JsonNode plan = JSON.readTree(deploy.run("show", "-json", "-no-color", "validation.tfplan"));
        JsonNode planned = plan.path("planned_values").path("root_module").path("child_modules").path(0)
                .path("resources");

        JsonNode rotator = readPolicyDocument(plan, "data.aws_iam_policy_document.accounts[\"rotator\"]")
                .path("Statement");
        assertThat(rotator).hasSize(2);
        assertStatement(rotator.get(0), "AssumeMemberRoles", List.of("sts:AssumeRole"),
                List.of("arn:aws:iam::*:role/ikr-member-role"));
        assertStatement(rotator.get(1), "ListOrganizationAccounts", List.of("organizations:ListAccounts",
                "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"), List.of("*"));
        JsonNode destructor = readPolicyDocument(plan, "data.aws_iam_policy_document.accounts[\"destructor\"]")
                .path("Statement");
        assertThat(destructor).hasSize(1);
        assertStatement(destructor.get(0), "AssumeMemberRoles", List.of("sts:AssumeRole"),
                List.of("arn:aws:iam::*:role/ikr-member-role"));

        assertThat(resource(planned, "module.iam_key_rotator.aws_lambda_function.this[\"account_worker\"]")
                .path("handler").asText()).isEqualTo("dev.ikr.rotator.AccountWorkerHandler::handleRequest");
        JsonNode mapping = resource(planned, "module.iam_key_rotator.aws_lambda_event_source_mapping.account_worker[0]");
        assertThat(mapping.path("scaling_config").path(0).path("maximum_concurrency").asInt()).isEqualTo(1000);
        assertThat(mapping.path("batch_size").asInt()).isEqualTo(1);
        assertThat(resource(planned, "module.iam_key_rotator.aws_sqs_queue.accounts_dlq[0]")
                .path("message_retention_seconds").asInt()).isEqualTo(1_209_600);
    }

    /**
     * A policy document of the module or of a module it calls ({@code module.key_access}), by its address below
     * {@code module.iam_key_rotator}, as the plan read it (its inputs are known at plan).
     */
    private static JsonNode readPolicyDocument(JsonNode plan, String address) throws IOException {
        List<JsonNode> resources = new ArrayList<>();
        collect(plan.path("prior_state").path("values").path("root_module"), resources);
        return JSON.readTree(resource(JSON.valueToTree(resources), "module.iam_key_rotator." + address)
                .path("json").asText());
    }

    private static void collect(JsonNode module, List<JsonNode> found) {
        module.path("resources").forEach(found::add);
        module.path("child_modules").forEach(child -> collect(child, found));
    }

    private static void assertStatement(JsonNode statement, String sid, List<String> actions, List<String> resources) {
        assertThat(statement.path("Sid").asText()).isEqualTo(sid);
        assertThat(texts(statement.path("Action"))).as(sid).containsExactlyInAnyOrderElementsOf(actions);
        assertThat(texts(statement.path("Resource"))).as(sid).containsExactlyInAnyOrderElementsOf(resources);
    }

    /** A policy field, which IAM writes as a string when it holds one value and as an array otherwise. */
    private static List<String> texts(JsonNode field) {
        var texts = new ArrayList<String>();
        if (field.isArray()) {
            field.forEach(value -> texts.add(value.asText()));
        } else {
            texts.add(field.asText());
        }
        return texts;
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static Arguments refused(String description, String inputs, String... messages) {
        return Arguments.of(description, inputs, List.of(messages));
    }

    private void writeOverride(String inputs) throws IOException {
        Files.writeString(override, "module \"iam_key_rotator\" {\n" + inputs + "\n}\n");
    }

    private void plan(String... extra) {
        var arguments = new ArrayList<>(List.of("plan", "-refresh=false", "-input=false", "-no-color", "-lock=false",
                "-var", "aws_endpoint=" + moto.endpoint(),
                // only fileexists() and a hash are asked of the jars at plan: any file will do
                "-var", "rotator_jar_path=" + REPOSITORY.resolve("pom.xml"),
                "-var", "destructor_jar_path=" + REPOSITORY.resolve("pom.xml"),
                "-var", "mail_from=ikr@example.com",
                "-var", "enable_snapstart=false"));
        arguments.addAll(List.of(extra));
        deploy.run(arguments.toArray(String[]::new));
    }

    private static JsonNode resource(JsonNode resources, String address) {
        for (JsonNode resource : resources) {
            if (resource.path("address").asText().equals(address)) {
                return resource.path("values");
            }
        }
        throw new AssertionError("no " + address + " in the plan");
    }

    /** Terraform wraps its messages at 78 columns: compare with every run of blanks as one space. */
    private static String oneLine(String text) {
        return text.replace("│", " ").replaceAll("\\s+", " ");
    }

}
