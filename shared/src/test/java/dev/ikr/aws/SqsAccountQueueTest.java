package dev.ikr.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ikr.domain.AccountWork;
import dev.ikr.port.AccountQueue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsAccountQueueTest {

    private static final Instant AT = Instant.parse("2027-03-01T12:00:00Z");
    private static final String URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/ikr-accounts";

    private final List<SendMessageBatchRequest> requests = new ArrayList<>();

    /** SQS as far as the queue uses it: each batch answered by {@code answer}. */
    private SqsClient sqs(java.util.function.Function<SendMessageBatchRequest, SendMessageBatchResponse> answer) {
        return new SqsClient() {
            @Override
            public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
                requests.add(request);
                return answer.apply(request);
            }

            @Override
            public String serviceName() {
                return "sqs";
            }

            @Override
            public void close() {
            }
        };
    }

    private static List<AccountWork> accounts(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> AccountWork.first(String.format("%012d", i), AT))
                .toList();
    }

    @Test
    void sendsTenMessagesPerCall_eachBodyAsTheWorkerReadsIt() {
        var queue = new SqsAccountQueue(sqs(request -> SendMessageBatchResponse.builder().build()), URL);

        assertThat(queue.send(accounts(23))).isEmpty();

        assertThat(requests).extracting(request -> request.entries().size()).containsExactly(10, 10, 3);
        assertThat(requests).allSatisfy(request -> assertThat(request.queueUrl()).isEqualTo(URL));
        var first = requests.getFirst().entries().getFirst();
        assertThat(first.messageBody())
                .isEqualTo("{\"account\":\"000000000001\",\"dispatchedAt\":\"2027-03-01T12:00:00Z\",\"continuation\":0}");
        assertThat(AccountMessages.read(first.messageBody())).isEqualTo(AccountWork.first("000000000001", AT));
    }

    @Test
    void reportsTheMessagesSqsRefused_andAWholeBatchThatFailed_theOthersAreSent() {
        var queue = new SqsAccountQueue(sqs(request -> {
            if (requests.size() == 2) {
                throw SqsException.builder().message("The security token included in the request is expired")
                        .build();
            }
            return SendMessageBatchResponse.builder().failed(BatchResultErrorEntry.builder().id("3")
                    .code("InternalError").message("try again").senderFault(false).build()).build();
        }), URL);

        List<AccountQueue.Unsent> unsent = queue.send(accounts(12));

        assertThat(unsent).extracting(AccountQueue.Unsent::account)
                .containsExactly("000000000004", "000000000011", "000000000012");
        assertThat(unsent.getFirst().reason()).isEqualTo("InternalError: try again");
        assertThat(unsent.get(1).reason()).contains("SqsException", "expired");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "not json | the message body is not JSON",
        "[1] | not a JSON object",
        "{\"dispatchedAt\":\"2027-03-01T12:00:00Z\"} | no \"account\" string",
        "{\"account\":\"1111\",\"dispatchedAt\":\"2027-03-01T12:00:00Z\"} | 12-digit account id",
        "{\"account\":\"111111111111\",\"dispatchedAt\":\"yesterday\"} | no \"dispatchedAt\" ISO-8601 instant",
        "{\"account\":\"111111111111\",\"dispatchedAt\":\"2027-03-01T12:00:00Z\",\"continuation\":1.5}"
                + " | \"continuation\" is not a whole number",
        "{\"account\":\"111111111111\",\"dispatchedAt\":\"2027-03-01T12:00:00Z\",\"continuation\":-1}"
                + " | continuation cannot be negative"})
    void aBodyThatIsNotAnAccountsWork_isRefusedSayingWhy(String body, String reason) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccountMessages.read(body))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }
}
