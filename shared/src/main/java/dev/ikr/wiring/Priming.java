package dev.ikr.wiring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.aws.AwsClients;
import dev.ikr.message.MessageRenderer;
import java.util.Map;

/**
 * What SnapStart should find warm in the snapshot: the SDK clients built (with their endpoint
 * rules, marshallers and HTTP client), Jackson's serializers, and the mail templates parsed. It
 * makes no AWS call: nothing account-specific or time-dependent is captured.
 */
public final class Priming {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Priming() {
    }

    /** The clients of the rotator's delivery targets, for a rotator whose configuration turns any of them on. */
    public static void primeDeliveryTargets(AwsClients clients) {
        clients.secretsManager();
        clients.lambda();
    }

    public static void prime(AwsClients clients, MessageRenderer renderer) {
        clients.iam();
        clients.dynamoDb();
        clients.ssm();
        clients.ses();
        clients.kms();
        renderer.preloaded();
        try {
            JSON.writeValueAsString(Map.of("counts", Map.of("rotated", 1), "users", java.util.List.of(Map.of())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
