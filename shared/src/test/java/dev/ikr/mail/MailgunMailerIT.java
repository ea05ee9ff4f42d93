package dev.ikr.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ikr.aws.AwsClients;
import dev.ikr.aws.SsmSecretParameters;
import dev.ikr.config.MailConfig.MailgunSettings;
import dev.ikr.domain.EmailAddress;
import dev.ikr.domain.MailMessage;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** {@link MailgunMailer} against a local HTTP server standing in for Mailgun, with the API key in moto's SSM. */
@ExtendWith(MotoExtension.class)
class MailgunMailerIT {

    private static final String KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    private static final String KEY_NAME = "/ikr/secret/mailgun";
    private static final String SENDER = "ikr@example.com";
    private static final MailMessage MESSAGE = new MailMessage(
            List.of(EmailAddress.of("alice@example.com"), EmailAddress.of("ops+ikr@example.com")),
            "New key for alice & co",
            "Grüße: your key is AKIA/EXAMPLE+1=2",
            "<p>Grüße: your key is <b>AKIA/EXAMPLE+1=2</b></p>");

    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"id\":\"<1@mg.example.com>\",\"message\":\"Queued. Thank you.\"}";
    private volatile Duration delay = Duration.ZERO;
    private HttpServer mailgun;
    private AwsClients aws;
    private MailgunMailer mailer;

    @BeforeEach
    void setUp() throws IOException {
        mailgun = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mailgun.createContext("/", this::answer);
        mailgun.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        mailgun.start();
        aws = new AwsClients();
        mailer = mailer(Duration.ofSeconds(5));
    }

    private MailgunMailer mailer(Duration timeout) {
        var url = URI.create("http://127.0.0.1:" + mailgun.getAddress().getPort() + "/v3/mg.example.com");
        return new MailgunMailer(new MailgunSettings(url, KEY_NAME), EmailAddress.of(SENDER), timeout,
                new SsmSecretParameters(aws.ssm()));
    }

    @AfterEach
    void tearDown() {
        mailgun.stop(0);
    }

    @Test
    void postsTheMessageAsAFormToTheDomainsMessagesEndpoint_withTheKeyFromSsm() {
        storeKey();

        mailer.send(MESSAGE);

        assertThat(requests).hasSize(1);
        Recorded request = requests.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v3/mg.example.com/messages");
        assertThat(request.authorization()).isEqualTo(
                "Basic " + Base64.getEncoder().encodeToString(("api:" + KEY).getBytes(StandardCharsets.UTF_8)));
        assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.form()).containsExactly(
                Map.entry("from", List.of(SENDER)),
                Map.entry("to", List.of("alice@example.com", "ops+ikr@example.com")),
                Map.entry("subject", List.of(MESSAGE.subject())),
                Map.entry("text", List.of(MESSAGE.text())),
                Map.entry("html", List.of(MESSAGE.html())));
    }

    @Test
    void readsTheKeyFromSsmOnce_acrossSeveralMails() {
        storeKey();

        mailer.send(MESSAGE);
        mailer.send(MESSAGE);
        mailer.send(MESSAGE);

        assertThat(requests).hasSize(3);
        assertThat(aws.callCounter().snapshot()).containsEntry("ssm:GetParameter", 1L);
    }

    @Test
    void failsWithTheStatusAndMailgunsReason_butNotTheKey_whenMailgunRejectsTheKey() {
        storeKey();
        status = 401;
        answer = "{\"message\":\"Invalid private key\"}";

        assertThatThrownBy(() -> mailer.send(MESSAGE))
                .isInstanceOf(MailDeliveryException.class)
                .hasMessage("Mailgun answered 401: Invalid private key")
                .satisfies(e -> assertThat(fullText(e)).doesNotContain(KEY).doesNotContain("AKIA"));
    }

    @Test
    void failsWithTheStatus_whenMailgunFailsWithoutAJsonAnswer() {
        storeKey();
        status = 500;
        answer = "<html>Internal Server Error</html>";

        assertThatThrownBy(() -> mailer.send(MESSAGE))
                .isInstanceOf(MailDeliveryException.class)
                .hasMessage("Mailgun answered 500")
                .satisfies(e -> assertThat(fullText(e)).doesNotContain(KEY));
    }

    @Test
    void failsNamingTheParameter_andPostsNothing_whenTheKeyParameterDoesNotExist() {
        assertThatThrownBy(() -> mailer.send(MESSAGE))
                .isInstanceOf(MailDeliveryException.class)
                .hasMessageContaining(KEY_NAME);
        assertThat(requests).isEmpty();
    }

    @Test
    void readsTheKeyOnTheNextMail_whenItWasMissingAtTheFirst() {
        assertThatThrownBy(() -> mailer.send(MESSAGE)).isInstanceOf(MailDeliveryException.class);
        storeKey();

        mailer.send(MESSAGE);

        assertThat(requests).hasSize(1);
    }

    @Test
    void givesUpWithinTheTimeout_whenMailgunNeverAnswers() {
        storeKey();
        delay = Duration.ofSeconds(30);
        MailgunMailer impatient = mailer(Duration.ofSeconds(2));

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> impatient.send(MESSAGE))
                .isInstanceOf(MailDeliveryException.class)
                .hasMessageContaining("HttpTimeoutException"));
    }

    private void storeKey() {
        new TestAccount(Moto.shared()).aws().ssm().putParameter(request -> request
                .name(KEY_NAME).type(ParameterType.SECURE_STRING).value(KEY).overwrite(true));
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), decode(body)));
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The form's fields in order, each with its values in order. */
    private static Map<String, List<String>> decode(String form) {
        var fields = new LinkedHashMap<String, List<String>>();
        Arrays.stream(form.split("&")).map(pair -> pair.split("=", 2)).forEach(pair -> fields
                .computeIfAbsent(URLDecoder.decode(pair[0], StandardCharsets.UTF_8), name -> new ArrayList<>())
                .add(URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
        return fields;
    }

    private static String fullText(Throwable error) {
        var text = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            text.append(cause).append('\n');
        }
        return text.toString();
    }

    private record Recorded(String method, String path, String authorization, String contentType,
            Map<String, List<String>> form) {
    }
}
