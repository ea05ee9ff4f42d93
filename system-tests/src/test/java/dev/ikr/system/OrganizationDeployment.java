package dev.ikr.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.cli.TerraformDeploy;
import dev.ikr.testbed.Moto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code terraform/examples/organization} applied to a moto of its own, in the background: the hub module in the
 * hub account (moto's default account) and {@code modules/member-role} in {@link #MEMBER_ACCOUNT}, through the
 * example's member provider alias, which assumes a role there (moto lets credentials from {@code AssumeRole} act in
 * the role's account). Terraform mostly waits on the provider's pollers, so this apply runs beside the complete
 * example's for little more wall time than one.
 *
 * <p>The example configures its providers for AWS; an override file points both at moto. Stand-in zips take the
 * jars' place: the functions never run in Lambda here.
 */
final class OrganizationDeployment implements AutoCloseable {

    static final String MEMBER_ACCOUNT = "222222222222";
    static final String EXTERNAL_ID = "ikr-terraform-test:org/1";
    static final int MAX_ACCOUNT_CONCURRENCY = 3;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long APPLY_TIMEOUT_MINUTES = 6;

    private final Path terraform;
    private final Path example;
    private final Moto moto;
    private final CompletableFuture<Applied> applied;
    private volatile TerraformDeploy deploy;

    /** What Terraform reports after the apply: {@code terraform output -json} and {@code terraform show -json}. */
    record Applied(JsonNode outputs, JsonNode state) {
    }

    private OrganizationDeployment(Path terraform, Path example) {
        this.terraform = terraform;
        this.example = example;
        this.moto = Moto.start();
        this.applied = CompletableFuture.supplyAsync(this::apply);
    }

    /**
     * Starts a moto of its own and the apply of {@code prepared}'s {@code examples/organization} (a copy of
     * {@code terraform/}, as {@link TerraformDeploy#prepare} makes); {@link #applied()} waits for it.
     */
    static OrganizationDeployment applyInBackground(Path terraform, Path prepared) {
        return new OrganizationDeployment(terraform, prepared.resolve("examples/organization"));
    }

    URI endpoint() {
        return moto.endpoint();
    }

    /** The applied example, or the failure of its apply. */
    Applied applied() {
        try {
            return applied.get(APPLY_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("terraform/examples/organization did not apply",
                    e.getCause() == null ? e : e.getCause());
        }
    }

    private Applied apply() {
        try {
            Files.writeString(example.resolve("emulator_override.tf"), emulatorOverride(moto.endpoint().toString()));
            deploy = TerraformDeploy.in(terraform, example);
            deploy.init();
            Path standIn = StandInPackage.write(example.resolve("function.zip"));
            deploy.apply(variables(standIn));
            return new Applied(JSON.readTree(deploy.run("output", "-json", "-no-color")),
                    JSON.readTree(deploy.run("show", "-json", "-no-color")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> variables(Path standIn) {
        var variables = new LinkedHashMap<String, String>();
        variables.put("member_account_id", MEMBER_ACCOUNT);
        variables.put("member_external_id", EXTERNAL_ID);
        variables.put("max_account_concurrency", String.valueOf(MAX_ACCOUNT_CONCURRENCY));
        variables.put("rotator_jar_path", standIn.toString());
        variables.put("destructor_jar_path", standIn.toString());
        variables.put("mail_from", "ikr@example.com");
        variables.put("enable_snapstart", "false");
        variables.put("deletion_protection_enabled", "false");
        return variables;
    }

    /** Both providers to moto with its dummy keys; the member provider keeps the example's assume_role. */
    private static String emulatorOverride(String endpoint) {
        String emulator = """
                  access_key                  = "testing"
                  secret_key                  = "testing"
                  skip_credentials_validation = true
                  skip_metadata_api_check     = true
                  skip_requesting_account_id  = true
                  endpoints {
                    %s
                  }
                """;
        String everyService = String.join("\n    ", Stream.of("cloudwatch", "cloudwatchlogs",
                "dynamodb", "events", "iam", "kms", "lambda", "sns", "sqs", "ssm", "sts")
                .map(service -> service + " = \"" + endpoint + "\"").toList());
        String memberServices = "iam = \"" + endpoint + "\"\n    sts = \"" + endpoint + "\"";
        return "provider \"aws\" {\n" + emulator.formatted(everyService) + "}\n\n"
                + "provider \"aws\" {\n  alias = \"member\"\n" + emulator.formatted(memberServices) + "}\n";
    }

    /** Stops moto (an apply still running then fails at once) and removes the example's initialisation. */
    @Override
    public void close() {
        moto.stop();
        try {
            applied.exceptionally(failure -> null).get(1, TimeUnit.MINUTES);
        } catch (Exception ignored) {
            // the apply's failure is reported by the tests that asked for it
        }
        if (deploy != null) {
            deploy.removeInitialisation();
        }
    }
}
