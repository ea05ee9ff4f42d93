package dev.ikr.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A real {@code moto_server} on a free port, started once per test JVM and reset between tests. The
 * SDK finds it through the {@code aws.endpointUrl} system property (the same setting as
 * {@code AWS_ENDPOINT_URL}), so production code runs unchanged over real HTTP.
 */
public final class Moto {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Moto shared;

    private final URI endpoint;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Moto(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** The JVM's moto, started on first use; the SDK is pointed at it. */
    public static synchronized Moto shared() {
        if (shared == null) {
            shared = start();
            System.setProperty("aws.endpointUrl", shared.endpoint.toString());
            System.setProperty("aws.region", REGION);
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
            Runtime.getRuntime().addShutdownHook(new Thread(shared.process::destroy));
        }
        return shared;
    }

    /** Starts a separate moto (for tests that need their own, e.g. a CLI subprocess). Stop it with {@link #stop()}. */
    public static Moto start() {
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-", ".log");
            Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            var moto = new Moto(URI.create("http://127.0.0.1:" + port), process);
            moto.awaitReady(log.toFile());
            return moto;
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto_server (is moto installed? `pip install 'moto[server]'`)",
                    e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The variables a child process (scripts/ikr) needs to talk to this moto. */
    public Map<String, String> awsEnvironment() {
        return Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_REGION", REGION,
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
    }

    /** Forgets every resource: each test starts from an empty account. */
    public void reset() {
        send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** moto's view of every backend ({@code /moto-api/data.json}). */
    public JsonNode data() {
        try {
            return JSON.readTree(send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).GET().build()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void stop() {
        process.destroy();
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("moto answered " + response.statusCode() + " to " + request.uri());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("moto did not answer " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(File log) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + tail(log));
            }
            try {
                send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET().timeout(Duration.ofSeconds(2)).build());
                return;
            } catch (IllegalStateException notYet) {
                sleep();
            }
        }
        process.destroy();
        throw new IllegalStateException("moto_server did not answer within 30 s: " + tail(log));
    }

    private static String tail(File log) {
        try {
            String text = Files.readString(log.toPath());
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
