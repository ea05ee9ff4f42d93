package dev.ikr.aws;

import dev.ikr.domain.AccountWork;
import dev.ikr.port.AccountQueue;
import dev.ikr.util.Failures;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The queue of accounts ({@code ACCOUNT_QUEUE_URL}) over SQS: {@code SendMessageBatch}, ten messages per call (SQS's
 * limit), each message's failure reported for its account.
 */
public final class SqsAccountQueue implements AccountQueue {

    /** Messages per {@code SendMessageBatch}: SQS takes at most ten. */
    static final int BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsAccountQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public List<Unsent> send(List<AccountWork> work) {
        var unsent = new ArrayList<Unsent>();
        for (int from = 0; from < work.size(); from += BATCH) {
            List<AccountWork> batch = work.subList(from, Math.min(work.size(), from + BATCH));
            var entries = new ArrayList<SendMessageBatchRequestEntry>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(AccountMessages.body(batch.get(i))).build());
            }
            SendMessageBatchResponse response;
            try {
                response = sqs.sendMessageBatch(request -> request.queueUrl(queueUrl).entries(entries));
            } catch (RuntimeException e) {
                String reason = Failures.describe(e);
                batch.forEach(message -> unsent.add(new Unsent(message.account(), reason)));
                continue;
            }
            for (BatchResultErrorEntry failed : response.failed()) {
                AccountWork message = batch.get(Integer.parseInt(failed.id()));
                unsent.add(new Unsent(message.account(), failed.code() + ": " + failed.message()));
            }
        }
        return unsent;
    }
}
