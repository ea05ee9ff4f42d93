package dev.ikr.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.local.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * A real {@code moto_server} on a free port, started once per test JVM and reset between tests. The
 * SDK finds it through the {@code aws.endpointUrl} system property (the same setting as
 * {@code AWS_ENDPOINT_URL}), so production code runs unchanged over real HTTP.
 */
public final class Moto {

    public static final String REGION = MotoServer.REGION;
    public static final String ACCOUNT_ID = MotoServer.ACCOUNT_ID;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Moto shared;

    private final MotoServer server;

    private Moto(MotoServer server) {
        this.server = server;
    }

    /** The JVM's moto, started on first use; the SDK is pointed at it. */
    public static synchronized Moto shared() {
        if (shared == null) {
            shared = start();
            shared.server.useForThisJvm();
        }
        return shared;
    }

    /** Starts a separate moto (for tests that need their own). Stop it with {@link #stop()}. */
    public static Moto start() {
        return new Moto(MotoServer.start());
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** The variables a child process (scripts/ikr) needs to talk to this moto. */
    public Map<String, String> awsEnvironment() {
        return Map.of("AWS_ENDPOINT_URL", endpoint().toString(), "AWS_REGION", REGION,
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
    }

    /** Forgets every resource: each test starts from an empty account. */
    public void reset() {
        server.api("/moto-api/reset", true);
    }

    /** moto's view of every backend ({@code /moto-api/data.json}). */
    public JsonNode data() {
        try {
            return JSON.readTree(server.api("/moto-api/data.json", false));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void stop() {
        server.close();
    }
}
