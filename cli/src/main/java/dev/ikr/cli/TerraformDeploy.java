package dev.ikr.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the Terraform module's complete example from a copy of {@code terraform/} in a work directory,
 * so the repository never gets {@code .terraform}, lock files or state, or runs Terraform in a root module
 * of a test's own ({@link #in}). Used by the demo and the module's integration tests.
 */
public final class TerraformDeploy {

    /** The local provider mirror of these machines; elsewhere {@code terraform init} downloads the provider. */
    public static final Path PLUGIN_DIR = Path.of(System.getProperty("ikr.terraform.pluginDir", "/opt/tf-plugins"));
    private static final long COMMAND_TIMEOUT_MINUTES = 4;
    /** How much of a failed command's output its exception carries: enough for several refusals at once. */
    private static final int TAIL_CHARS = 8000;

    private final Path terraform;
    private final Path work;
    private final Path rootModule;

    private TerraformDeploy(Path terraform, Path work, Path rootModule) {
        this.terraform = terraform;
        this.work = work;
        this.rootModule = rootModule;
    }

    /** Terraform in the root module {@code directory}; each command's output goes to a file beside it. */
    public static TerraformDeploy in(Path terraform, Path directory) {
        Path absolute = directory.toAbsolutePath();
        return new TerraformDeploy(terraform, absolute.getParent(), absolute);
    }

    /** The {@code terraform} program on the PATH, if any. */
    public static Optional<Path> terraformOnPath() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(directory -> !directory.isBlank())
                .map(directory -> Path.of(directory, "terraform"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Copies the module's {@code *.tf} files from {@code repository/terraform} into {@code work} and runs init. */
    public static TerraformDeploy prepare(Path terraform, Path repository, Path work) throws IOException {
        Path from = repository.resolve("terraform");
        Path into = work.resolve("terraform");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".tf")).toList()) {
                Path relative = from.relativize(file);
                if (relative.toString().contains(".terraform")) {
                    continue;
                }
                Path relativeDirectory = relative.getParent();
                Files.createDirectories(relativeDirectory == null ? into : into.resolve(relativeDirectory));
                Files.copy(file, into.resolve(relative));
            }
        }
        var deploy = new TerraformDeploy(terraform, work, work.resolve("terraform/examples/complete"));
        deploy.init();
        return deploy;
    }

    /** {@code terraform init}, from the local provider mirror if there is one; again when a module source changes. */
    public void init() {
        List<String> init = new ArrayList<>(List.of("init", "-input=false", "-no-color"));
        if (Files.isDirectory(PLUGIN_DIR)) {
            init.add("-plugin-dir=" + PLUGIN_DIR);
        }
        run(init.toArray(String[]::new));
    }

    public void apply(Map<String, String> variables) {
        run(withVariables(List.of("apply", "-auto-approve", "-input=false", "-no-color"), variables));
    }

    public void destroy(Map<String, String> variables) {
        run(withVariables(List.of("destroy", "-auto-approve", "-input=false", "-no-color"), variables));
    }

    /**
     * Deletes the root module's {@code .terraform} directory without following links: its provider links point
     * outside the work directory (the plugin mirror), so a plain recursive delete of the work directory could reach
     * them.
     */
    public void removeInitialisation() {
        Path root = rootModule.resolve(".terraform");
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    /** Runs terraform in the root module; returns its standard output, fails with the tail of its output. */
    public String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(terraform.toString(), "-chdir=" + rootModule));
        command.addAll(List.of(arguments));
        String name = arguments[0] + "-" + System.nanoTime();
        Path stdout = work.resolve(name + ".out");
        Path stderr = work.resolve(name + ".err");
        var builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.startsWith("TF_VAR_") || key.startsWith("TF_CLI_ARGS")
                || key.equals("TF_DATA_DIR") || key.equals("TF_WORKSPACE") || key.startsWith("AWS_"));
        environment.put("TF_IN_AUTOMATION", "1");
        environment.put("TF_INPUT", "0");
        environment.put("CHECKPOINT_DISABLE", "1");
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
        try {
            Process process = builder.start();
            if (!process.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("terraform " + arguments[0] + " did not finish within "
                        + COMMAND_TIMEOUT_MINUTES + " minutes:\n" + tail(stdout) + tail(stderr));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("terraform " + arguments[0] + " exited " + process.exitValue() + ":\n"
                        + tail(stdout) + tail(stderr));
            }
            return Files.readString(stdout);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String[] withVariables(List<String> command, Map<String, String> variables) {
        List<String> arguments = new ArrayList<>(command);
        variables.forEach((name, value) -> {
            arguments.add("-var");
            arguments.add(name + "=" + value);
        });
        return arguments.toArray(String[]::new);
    }

    private static String tail(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "";
            return text.length() > TAIL_CHARS ? "..." + text.substring(text.length() - TAIL_CHARS) : text;
        } catch (IOException e) {
            return "";
        }
    }
}
