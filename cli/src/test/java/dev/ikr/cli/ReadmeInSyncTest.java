package dev.ikr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README documents every Terraform input and every environment variable the code reads. */
class ReadmeInSyncTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyTerraformInput_isInTheReadmesInputsTable() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        List<String> inputs = new ArrayList<>();
        for (String file : List.of("variables.tf", "kms_rotation.tf")) {
            inputs.addAll(matches(Files.readString(REPOSITORY.resolve("terraform/" + file)),
                    "(?m)^variable \"([a-z0-9_]+)\""));
        }

        assertThat(inputs).hasSizeGreaterThan(20);
        assertThat(inputs).allSatisfy(input -> assertThat(readme).as("README documents input %s", input)
                .contains("`" + input + "`"));
    }

    @Test
    void everyEnvironmentVariableTheConfigReads_isInTheReadme() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        var variables = new ArrayList<String>();
        for (String config : List.of("RotatorConfig", "DestructorConfig", "MailConfig", "AccountsConfig",
                "KmsRotationConfig")) {
            String source = Files.readString(
                    REPOSITORY.resolve("shared/src/main/java/dev/ikr/config/" + config + ".java"));
            variables.addAll(matches(source, "\"([A-Z][A-Z0-9_]{3,})\""));
        }

        assertThat(variables).contains("IAM_KEY_ROTATOR_TABLE", "ROTATE_AFTER_DAYS", "MAILGUN_API_URL", "ACCOUNTS",
                "MEMBER_ROLE_NAME", "ACCOUNT_QUEUE_URL", "ROTATE_KMS_KEYS", "KMS_PENDING_WINDOW_DAYS");
        assertThat(variables).allSatisfy(variable -> assertThat(readme).as("README documents %s", variable)
                .contains("`" + variable + "`"));
    }

    private static List<String> matches(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher matcher = Pattern.compile(regex).matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
