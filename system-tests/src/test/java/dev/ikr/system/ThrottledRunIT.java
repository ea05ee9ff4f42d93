package dev.ikr.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.aws.AwsClients;
import dev.ikr.config.RotatorConfig;
import dev.ikr.local.LocalContext;
import dev.ikr.log.JsonLog;
import dev.ikr.rotator.RotatorHandler;
import dev.ikr.testbed.FaultProxy;
import dev.ikr.testbed.LogCapture;
import dev.ikr.testbed.Moto;
import dev.ikr.testbed.MotoExtension;
import dev.ikr.testbed.TestAccount.SentMail;
import dev.ikr.testbed.TestAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * A rotator run over 200 users while AWS throttles one request in three, whatever the operation:
 * the production clients' retries absorb it, and every user is rotated exactly once.
 */
@ExtendWith(MotoExtension.class)
class ThrottledRunIT {

    private static final int USERS = 200;
    private static final JsonLog LOG = JsonLog.forClass(ThrottledRunIT.class);

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private final TestAccount account = new TestAccount(Moto.shared());

    @Test
    void everyUserIsRotatedExactlyOnce_whenOneRequestInThreeIsThrottled() throws Exception {
        account.createTable().verifySender();
        Map<String, String> originalKeys = seedUsers();

        Map<String, Object> response;
        long throttled;
        long requests;
        long started = System.nanoTime();
        try (var proxy = FaultProxy.start(Moto.shared().endpoint())) {
            AwsClients clients = proxy.clients(AwsClients::new);
            proxy.throttleOneIn(3);
            // a 15-minute context: under this much throttling the run takes about 100 s, and with the module's
            // default function_timeout (300 s) the users not reached in time would be deferred to the next run
            response = new RotatorHandler(RotatorConfig.from(account.tableVariables()), clients, clockAt(Instant.now().plus(Duration.ofDays(100))))
                    .handleRequest(Map.of(), LocalContext.forAccount("ikr", Moto.REGION, Moto.ACCOUNT_ID));
            throttled = proxy.faultsInjected();
            requests = proxy.exchanges().size();
        }
        LOG.info("throttled run finished", Map.of("users", USERS, "requests", requests, "throttled", throttled,
                "seconds", Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0));

        assertThat(throttled).isGreaterThanOrEqualTo(requests / 3);
        assertThat(response.get("counts")).isEqualTo(Map.of("rotated", USERS));
        List<Map<String, AttributeValue>> items = account.items();
        assertThat(items).hasSize(USERS).allSatisfy(item ->
                assertThat(item.get("state").s()).isEqualTo("pending_deletion"));
        Map<String, String> newKeys = items.stream().collect(Collectors.toMap(item -> item.get("user").s(),
                item -> item.get("new_ak").s()));
        Map<String, List<SentMail>> mailsByUser = account.sentMails().stream()
                .collect(Collectors.groupingBy(mail -> mail.to().getFirst()));
        assertThat(mailsByUser).hasSize(USERS);
        for (var user : originalKeys.entrySet()) {
            String name = user.getKey();
            assertThat(account.keyIds(name)).as("%s's keys", name)
                    .containsExactlyInAnyOrder(user.getValue(), newKeys.get(name));
            assertThat(mailsByUser.get(name + "@example.com")).as("%s's mails", name).singleElement()
                    .satisfies(mail -> assertThat(mail.body()).contains("New access key ID: " + newKeys.get(name)));
        }
    }

    /** Tagged users with one key each, created straight against moto by a few threads at once. */
    private Map<String, String> seedUsers() throws Exception {
        var iam = account.aws().iam();
        Map<String, String> keys = new ConcurrentHashMap<>();
        try (ExecutorService workers = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (String user : IntStream.range(0, USERS).mapToObj(i -> String.format("user%03d", i)).toList()) {
                done.add(workers.submit(() -> {
                    iam.createUser(request -> request.userName(user).tags(Tag.builder().key("IKR:EMAIL")
                            .value(user + "@example.com").build()));
                    keys.put(user, iam.createAccessKey(request -> request.userName(user)).accessKey().accessKeyId());
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        return keys;
    }

    private static Clock clockAt(Instant at) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at));
    }
}
