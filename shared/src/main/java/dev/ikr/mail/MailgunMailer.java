package dev.ikr.mail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ikr.config.MailConfig.MailgunSettings;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MailMessage;
import dev.ikr.port.Mailer;
import dev.ikr.port.SecretParameters;
import dev.ikr.util.Lazy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Sends through the Mailgun HTTP API: a form POST to {@code <MAILGUN_API_URL>/messages} with basic auth
 * {@code api:<key>}. The key is read from SSM on the first send and then kept for the life of the function.
 */
public final class MailgunMailer implements Mailer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON_LENGTH = 200;

    private final URI messages;
    private final EmailAddress from;
    private final Duration timeout;
    private final HttpClient http;
    private final Lazy<String> authorization;

    public MailgunMailer(MailgunSettings settings, EmailAddress from, Duration timeout, SecretParameters secrets) {
        this.messages = URI.create(settings.apiUrl() + "/messages");
        this.from = from;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.authorization = Lazy.of(() -> {
            String key = secrets.read(settings.apiKeyName()).orElseThrow(() -> new MailDeliveryException(
                    "the Mailgun API key parameter " + settings.apiKeyName() + " does not exist"));
            return "Basic " + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
        });
    }

    @Override
    public void send(MailMessage message) {
        HttpRequest request = HttpRequest.newBuilder(messages)
                .timeout(timeout)
                .header("Authorization", authorization.get())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(message)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MailDeliveryException("Mailgun at " + messages.getHost() + " did not answer: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailDeliveryException("interrupted while sending through Mailgun", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new MailDeliveryException("Mailgun answered " + response.statusCode() + reason(response.body()));
        }
    }

    private String form(MailMessage message) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("from", from.value()));
        message.to().forEach(to -> fields.add(Map.entry("to", to.value())));
        fields.add(Map.entry("subject", message.subject()));
        fields.add(Map.entry("text", message.text()));
        fields.add(Map.entry("html", message.html()));
        return String.join("&", fields.stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .toList());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Mailgun's own explanation ({@code {"message": "..."}}), if its answer has one. */
    private static String reason(String body) {
        try {
            String text = JSON.readTree(body).path("message").asText("");
            if (text.isBlank()) {
                return "";
            }
            return ": " + (text.length() > MAX_REASON_LENGTH ? text.substring(0, MAX_REASON_LENGTH) + "..." : text);
        } catch (IOException notJson) {
            return "";
        }
    }
}
