package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What each Lambda jar ships, entry by entry: the function, the shared library and their runtime dependencies;
 * never a development helper, a test class or a test library, never a second HTTP client. Runs after the function
 * modules are packaged (failsafe).
 */
class LambdaJarContentsIT {

    /** Entry prefixes that belong to development or tests, or to the HTTP clients IKR does not use. */
    private static final List<String> FORBIDDEN = List.of(
            "dev/ikr/local/", "dev/ikr/cli/", "dev/ikr/testing/", "dev/ikr/testbed/", "dev/ikr/system/",
            "org/junit/", "org/assertj/", "com/tngtech/", "com/icegreen/", "picocli/",
            "software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/apache5/",
            "software/amazon/awssdk/http/nio/netty/", "io/netty/", "org/apache/http/");

    @ParameterizedTest
    @CsvSource({
        "rotator-function, dev/ikr/rotator/RotatorHandler.class, dev/ikr/destructor/",
        "destructor-function, dev/ikr/destructor/DestructorHandler.class, dev/ikr/rotator/"})
    void theLambdaJar_holdsItsFunction_andNoDevelopmentOrTestClass(String module, String handler,
            String otherFunction) throws IOException {
        List<String> entries = entries(lambdaJar(module));

        assertThat(entries).as("the function and the library it runs").contains(handler,
                "dev/ikr/rotation/Rotator.class", "dev/ikr/rotation/Destructor.class",
                "dev/ikr/message/new-key.mail",
                "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class");
        assertThat(entries).as("no development, test or unused HTTP client class in %s", module)
                .noneMatch(entry -> FORBIDDEN.stream().anyMatch(entry::startsWith))
                .noneMatch(entry -> entry.startsWith(otherFunction))
                .noneMatch(entry -> entry.endsWith("LocalContext.class") || entry.endsWith("MotoServer.class"));
    }

    private static Path lambdaJar(String module) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", module, "target"))) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().endsWith("-lambda.jar")).toList();
            assertThat(jars).as("the Lambda jar of %s (package it first)", module).hasSize(1);
            return jars.getFirst();
        }
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(entry -> entry.getName()).toList();
        }
    }
}
