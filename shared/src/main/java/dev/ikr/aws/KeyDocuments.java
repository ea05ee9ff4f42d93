package dev.ikr.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.domain.IssuedAccessKey;
import dev.ikr.domain.KeyHandover;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON a delivery target receives. A secret, a parameter and {@code rotate-self --output json} hold the key
 * document; a delivery function is invoked with the invocation payload. Both hold the secret: they are written to
 * the target and nowhere else.
 */
public final class KeyDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyDocuments() {
    }

    /** {@code {"UserName", "AccessKeyId", "SecretAccessKey", "CreateDate"}}, the date in ISO-8601. */
    public static String keyDocument(String user, IssuedAccessKey key) {
        var document = new LinkedHashMap<String, String>();
        document.put("UserName", user);
        document.put("AccessKeyId", key.id());
        document.put("SecretAccessKey", key.secret());
        document.put("CreateDate", key.createdAt().toString());
        return json(document);
    }

    /** {@code {"userName", "accessKeyId", "secretAccessKey", "oldAccessKeyId", "deleteOn"}}, the date in ISO-8601. */
    public static String invocationPayload(KeyHandover handover) {
        var payload = new LinkedHashMap<String, String>();
        payload.put("userName", handover.user());
        payload.put("accessKeyId", handover.key().id());
        payload.put("secretAccessKey", handover.key().secret());
        payload.put("oldAccessKeyId", handover.oldKeyId());
        payload.put("deleteOn", handover.deleteOn().toString());
        return json(payload);
    }

    private static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            // the message would quote the value: name the failure only
            throw new IllegalStateException("a key document could not be written as JSON", null);
        }
    }
}
