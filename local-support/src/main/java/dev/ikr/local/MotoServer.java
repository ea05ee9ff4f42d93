package dev.ikr.local;

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

/**
 * A {@code moto_server} child process on a free loopback port, for the demo and the tests (not part
 * of the Lambda jars). {@link #close()} stops it.
 */
public final class MotoServer implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";

    private final URI endpoint;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** Starts moto and waits until it answers (at most 30 s). */
    public static MotoServer start() {
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-", ".log");
            log.toFile().deleteOnExit();
            Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            var moto = new MotoServer(URI.create("http://127.0.0.1:" + port), process);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            moto.awaitReady(log.toFile());
            return moto;
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto_server (install it: pip install 'moto[server]')", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Points this JVM's AWS SDK at this moto (the system-property forms of AWS_ENDPOINT_URL, AWS_REGION, keys). */
    public void useForThisJvm() {
        System.setProperty("aws.endpointUrl", endpoint.toString());
        System.setProperty("aws.region", REGION);
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    /** GET or POST to moto's own API ({@code /moto-api/...}); returns the body. */
    public String api(String path, boolean post) {
        var request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30));
        request = post ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("moto answered " + response.statusCode() + " to " + path);
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("moto did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(File log) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + tail(log));
            }
            try {
                api("/moto-api/", false);
                return;
            } catch (IllegalStateException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
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

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
