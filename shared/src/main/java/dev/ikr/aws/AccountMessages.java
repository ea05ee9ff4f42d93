package dev.ikr.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.domain.AccountWork;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;

/**
 * The body of a message on the queue of accounts, the one place that names its fields:
 * {@code {"account":"<12 digits>","dispatchedAt":"<ISO instant>","continuation":<n>}}.
 */
public final class AccountMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AccountMessages() {
    }

    public static String body(AccountWork work) {
        var body = new LinkedHashMap<String, Object>();
        body.put("account", work.account());
        body.put("dispatchedAt", work.dispatchedAt().toString());
        body.put("continuation", work.continuation());
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("a message body could not be written", e);
        }
    }

    /**
     * Reads a body.
     *
     * @throws IllegalArgumentException saying what is wrong with it (never quoting more than the account field)
     */
    public static AccountWork read(String body) {
        JsonNode message;
        try {
            message = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the message body is not JSON");
        }
        if (message == null || !message.isObject()) {
            throw new IllegalArgumentException("the message body is not a JSON object");
        }
        JsonNode account = message.get("account");
        JsonNode dispatchedAt = message.get("dispatchedAt");
        JsonNode continuation = message.get("continuation");
        if (account == null || !account.isTextual()) {
            throw new IllegalArgumentException("the message has no \"account\" string");
        }
        Instant at;
        try {
            at = dispatchedAt == null || !dispatchedAt.isTextual() ? null : Instant.parse(dispatchedAt.asText());
        } catch (DateTimeException e) {
            at = null;
        }
        if (at == null) {
            throw new IllegalArgumentException("the message has no \"dispatchedAt\" ISO-8601 instant");
        }
        int count = 0;
        if (continuation != null && !continuation.isNull()) {
            if (!continuation.canConvertToInt() || !continuation.isIntegralNumber()) {
                throw new IllegalArgumentException("the message's \"continuation\" is not a whole number");
            }
            count = continuation.asInt();
        }
        return new AccountWork(account.asText(), at, count);
    }
}
