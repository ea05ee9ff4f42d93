package dev.ikr.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ikr.aws.AwsClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy in front of moto that makes chosen AWS operations fail on the wire, as AWS itself
 * would: a 5xx with the protocol's error body, a throttling error, or a request that hangs past the
 * client's timeout. Unlike {@link FaultInjector}, the SDK's retries, timeouts and error parsing all
 * run for real.
 *
 * <p>It names each request's operation like the SDK's call counter ({@code iam:ListAccessKeys},
 * {@code dynamodb:PutItem}): JSON protocols by {@code X-Amz-Target}, query protocols (IAM, SES, STS) by
 * the {@code Action} form field, the service by the SigV4 credential scope. A fault applies to every
 * attempt, so it outlasts the SDK's retries, until {@link #heal()} (or to the first few only, if asked).
 * Every request is recorded ({@link #exchanges()}), with moto's answer when it was forwarded, even if the
 * client never saw it.
 *
 * <pre>{@code
 * try (var proxy = FaultProxy.start(Moto.shared().endpoint())) {
 *     AwsClients clients = proxy.clients(() -> AwsClients.withTimeouts(...));
 *     proxy.fail("iam:CreateAccessKey", FaultProxy.Fault.THROTTLING);
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does to a matching request. */
    public enum Fault {
        /** Not forwarded; a 500 {@code InternalFailure} (JSON) or {@code ServiceUnavailable} (query). */
        SERVER_ERROR,
        /** Not forwarded; a 400 {@code ThrottlingException} (JSON) or {@code Throttling} (query). */
        THROTTLING,
        /** Not forwarded; held past the client's timeout, then the connection is closed without an answer. */
        STALL,
        /** Forwarded, so moto acts on it; then moto's answer is withheld as in {@link #STALL}: a lost reply. */
        LOST_REPLY
    }

    /** One request as the proxy saw it, and what became of it. */
    public record Exchange(String operation, String requestBody, Optional<Fault> fault, int motoStatus,
            String motoBody) {

        /** Whether moto received the request (it may have acted on it even if the client saw a failure). */
        public boolean forwarded() {
            return motoStatus > 0;
        }

        /** Whether moto acted on it successfully. */
        public boolean motoSucceeded() {
            return motoStatus >= 200 && motoStatus < 300;
        }
    }

    private static final Set<String> NOT_FORWARDED_HEADERS = Set.of("host", "content-length", "connection",
            "expect", "upgrade", "transfer-encoding", "keep-alive");
    private static final Set<String> NOT_RETURNED_HEADERS = Set.of("content-length", "connection",
            "transfer-encoding", "date", "server", "keep-alive");
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final Duration DEFAULT_STALL = Duration.ofSeconds(30);

    private final URI target;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Denial> denials = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final AtomicReference<CountDownLatch> healed = new AtomicReference<>(new CountDownLatch(1));
    private final AtomicLong requests = new AtomicLong();
    private volatile int throttleOneIn;
    private volatile Duration stallFor = DEFAULT_STALL;

    private FaultProxy(URI target, HttpServer server) {
        this.target = target;
        this.server = server;
    }

    /** A proxy to {@code target} (moto) on a free loopback port. {@link #close()} stops it. */
    public static FaultProxy start(URI target) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            var proxy = new FaultProxy(target, server);
            server.createContext("/", proxy::handle);
            server.setExecutor(proxy.handlers);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the fault proxy", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /**
     * Builds clients that talk to moto through this proxy: the SDK reads the endpoint
     * ({@code aws.endpointUrl}) when a client is built, so every service client is built here, with the
     * property pointing at the proxy, and the property is restored before this returns.
     */
    public synchronized AwsClients clients(Supplier<AwsClients> factory) {
        return throughProxy(() -> {
            AwsClients clients = factory.get();
            clients.iam();
            clients.dynamoDb();
            clients.ssm();
            clients.ses();
            clients.kms();
            return clients;
        });
    }

    /** Builds any client (one {@link AwsClients#build} makes, say) so that it talks to moto through this proxy. */
    public synchronized <C> C throughProxy(Supplier<C> factory) {
        return withEndpoint(endpoint(), factory);
    }

    /**
     * Builds any client so that it talks to {@code endpoint} (a proxy, a stand-in of a service): the SDK reads
     * {@code aws.endpointUrl} when a client is built, and the property is restored before this returns.
     */
    public static synchronized <C> C withEndpoint(URI endpoint, Supplier<C> factory) {
        String previous = System.getProperty("aws.endpointUrl");
        System.setProperty("aws.endpointUrl", endpoint.toString());
        try {
            return factory.get();
        } finally {
            if (previous == null) {
                System.clearProperty("aws.endpointUrl");
            } else {
                System.setProperty("aws.endpointUrl", previous);
            }
        }
    }

    /** Every request for {@code operation} ({@code service:Action}, e.g. {@code ses:SendEmail}) gets {@code fault}. */
    public FaultProxy fail(String operation, Fault fault) {
        return fail(operation, body -> true, fault);
    }

    /** The requests for {@code operation} whose body matches (e.g. names a user) get {@code fault}. */
    public FaultProxy fail(String operation, Predicate<String> whenBody, Fault fault) {
        return fail(operation, whenBody, fault, Integer.MAX_VALUE);
    }

    /** Only the first {@code times} matching requests get {@code fault} (e.g. once: a retry then gets through). */
    public FaultProxy fail(String operation, Predicate<String> whenBody, Fault fault, int times) {
        rules.add(new Rule(operation, whenBody, fault, new AtomicInteger(times)));
        return this;
    }

    /**
     * The requests for {@code operation} whose body matches are refused as AWS refuses a caller without the
     * permission (or a role that does not trust it): a 403 {@code AccessDenied}, not forwarded, until {@link #heal()}.
     * Not a {@link Fault}: the fault matrix's kinds are what retries must outlast; this one is never retried.
     */
    public FaultProxy deny(String operation, Predicate<String> whenBody) {
        denials.add(new Denial(operation, whenBody));
        return this;
    }

    /** Throttles every {@code n}th request, whatever its operation. */
    public FaultProxy throttleOneIn(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        throttleOneIn = n;
        return this;
    }

    /** How long a stalled request is held (unless healed first); it should exceed the client's timeout. */
    public FaultProxy stallFor(Duration duration) {
        stallFor = duration;
        return this;
    }

    /** Ends every fault: later requests pass, and requests held by a stall are closed now. */
    public void heal() {
        rules.clear();
        denials.clear();
        throttleOneIn = 0;
        healed.getAndSet(new CountDownLatch(1)).countDown();
    }

    /** Every request so far, in arrival order. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** How many requests got a fault. */
    public long faultsInjected() {
        return exchanges.stream().filter(exchange -> exchange.fault().isPresent()).count();
    }

    /** Forgets the recorded requests. */
    public void clearExchanges() {
        exchanges.clear();
    }

    @Override
    public void close() {
        heal();
        server.stop(0);
        handlers.shutdownNow();
        http.close();
    }

    // --- the proxy ---------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            Protocol protocol = Protocol.of(exchange);
            String operation = protocol.service(exchange) + ":" + protocol.action(exchange, text);
            if (denials.stream().anyMatch(denial -> denial.operation().equals(operation)
                    && denial.whenBody().test(text))) {
                exchanges.add(new Exchange(operation, text, Optional.empty(), 0, ""));
                reply(exchange, protocol.denied(exchange));
                return;
            }
            Optional<Fault> fault = faultFor(operation, text);
            if (fault.isEmpty()) {
                Forwarded answer = forward(exchange, body);
                exchanges.add(new Exchange(operation, text, fault, answer.status(), answer.body()));
                reply(exchange, answer);
                return;
            }
            switch (fault.get()) {
                case SERVER_ERROR, THROTTLING -> {
                    exchanges.add(new Exchange(operation, text, fault, 0, ""));
                    reply(exchange, protocol.error(fault.get(), exchange));
                }
                case STALL -> {
                    exchanges.add(new Exchange(operation, text, fault, 0, ""));
                    stall();
                }
                case LOST_REPLY -> {
                    Forwarded answer = forward(exchange, body);
                    exchanges.add(new Exchange(operation, text, fault, answer.status(), answer.body()));
                    stall();
                }
            }
        } catch (RuntimeException | IOException e) {
            // the client gave up or the proxy is closing: nothing to answer
        }
    }

    private Optional<Fault> faultFor(String operation, String body) {
        long number = requests.incrementAndGet();
        int oneIn = throttleOneIn;
        if (oneIn > 0 && number % oneIn == 0) {
            return Optional.of(Fault.THROTTLING);
        }
        for (Rule rule : rules) {
            if (rule.operation().equals(operation) && rule.whenBody().test(body)
                    && rule.remaining().getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                return Optional.of(rule.fault());
            }
        }
        return Optional.empty();
    }

    /** Holds the request until the stall time passes or the proxy heals; the caller then closes it unanswered. */
    private void stall() {
        try {
            healed.get().await(stallFor.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Forwarded forward(HttpExchange exchange, byte[] body) throws IOException {
        URI uri = target.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Forwarded(response.statusCode(), response.headers().map(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
    }

    private static void reply(HttpExchange exchange, Forwarded answer) throws IOException {
        answer.headers().forEach((name, values) -> {
            if (!NOT_RETURNED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        boolean empty = answer.bytes().length == 0 || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(answer.status(), empty ? -1 : answer.bytes().length);
        if (!empty) {
            exchange.getResponseBody().write(answer.bytes());
        }
    }

    private record Denial(String operation, Predicate<String> whenBody) {
    }

    private record Rule(String operation, Predicate<String> whenBody, Fault fault, AtomicInteger remaining) {
    }

    private record Forwarded(int status, Map<String, List<String>> headers, byte[] bytes) {

        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** How a service names its operations and shapes its errors. */
    private enum Protocol {
        /** DynamoDB, DynamoDB Streams, SSM: {@code X-Amz-Target: DynamoDB_20120810.PutItem}. */
        JSON,
        /** IAM, SES, STS: {@code Action=ListAccessKeys&...} in a form body, errors as XML. */
        QUERY;

        static Protocol of(HttpExchange exchange) {
            return exchange.getRequestHeaders().getFirst("X-Amz-Target") != null ? JSON : QUERY;
        }

        /** The service as the SDK's call counter names it: the SigV4 scope; {@code dynamodbstreams} for the streams. */
        String service(HttpExchange exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target != null && target.startsWith("DynamoDBStreams_")) {
                return "dynamodbstreams";
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Matcher scope = SCOPE.matcher(authorization == null ? "" : authorization);
            return scope.find() ? scope.group(1) : "unknown";
        }

        String action(HttpExchange exchange, String body) {
            if (this == JSON) {
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                return target.substring(target.indexOf('.') + 1);
            }
            String form = body.isEmpty() ? exchange.getRequestURI().getRawQuery() : body;
            for (String field : form == null ? new String[0] : form.split("&")) {
                if (field.startsWith("Action=")) {
                    return URLDecoder.decode(field.substring("Action=".length()), StandardCharsets.UTF_8);
                }
            }
            return "unknown";
        }

        /** A 403: {@code AccessDeniedException} (JSON) or {@code AccessDenied} (query: IAM, STS). */
        Forwarded denied(HttpExchange exchange) {
            String requestId = UUID.randomUUID().toString();
            String message = "User is not authorized to perform this operation (a test's refusal)";
            if (this == JSON) {
                String json = "{\"__type\":\"AccessDeniedException\",\"message\":\"" + message + "\"}";
                String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                        .orElse("application/x-amz-json-1.1");
                return new Forwarded(403, Map.of("x-amzn-ErrorType", List.of("AccessDeniedException"),
                        "x-amzn-RequestId", List.of(requestId), "Content-Type", List.of(contentType)),
                        json.getBytes(StandardCharsets.UTF_8));
            }
            String xml = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>" + message
                    + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
            return new Forwarded(403, Map.of("x-amzn-RequestId", List.of(requestId),
                    "Content-Type", List.of("text/xml")), xml.getBytes(StandardCharsets.UTF_8));
        }

        Forwarded error(Fault fault, HttpExchange exchange) {
            boolean throttling = fault == Fault.THROTTLING;
            int status = throttling ? 400 : 500;
            String requestId = UUID.randomUUID().toString();
            if (this == JSON) {
                String type = throttling ? "ThrottlingException" : "InternalFailure";
                String message = throttling ? "Rate exceeded" : "The request processing has failed because of an"
                        + " unknown error, exception or failure.";
                String json = "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}";
                String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                        .orElse("application/x-amz-json-1.1");
                return new Forwarded(status, Map.of("x-amzn-ErrorType", List.of(type),
                        "x-amzn-RequestId", List.of(requestId), "Content-Type", List.of(contentType)),
                        json.getBytes(StandardCharsets.UTF_8));
            }
            String type = throttling ? "Sender" : "Receiver";
            String code = throttling ? "Throttling" : "ServiceUnavailable";
            String message = throttling ? "Rate exceeded" : "Service is unable to handle request.";
            String xml = "<ErrorResponse><Error><Type>" + type + "</Type><Code>" + code + "</Code><Message>" + message
                    + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
            return new Forwarded(status, Map.of("x-amzn-RequestId", List.of(requestId),
                    "Content-Type", List.of("text/xml")), xml.getBytes(StandardCharsets.UTF_8));
        }
    }
}
