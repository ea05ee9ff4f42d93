package dev.ikr.cli;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ikr.rotator.AccountWorkerHandler;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The local stand-in for Lambda's SQS event source mapping (moto runs none): receives messages from the queue of
 * accounts, hands them to the worker handler as the SQS event Lambda would deliver (JSON read with Lambda's own
 * serializer), deletes those the handler finished and makes those it reported in {@code batchItemFailures} visible
 * again, as the mapping does with partial batch responses.
 */
public final class AccountQueueDriver {

    private static final PojoSerializer<SQSEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(SQSEvent.class, AccountQueueDriver.class.getClassLoader());

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;

    /** @param sqs a client that is not the handler's, so the handler counts only its own calls */
    public AccountQueueDriver(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                .attributeNamesWithStrings("QueueArn")).attributesAsStrings().get("QueueArn");
    }

    /** One batch the handler was given: the bodies, and those it asked to get again. */
    public record Delivery(List<String> bodies, List<String> retried) {

        public Delivery {
            bodies = List.copyOf(bodies);
            retried = List.copyOf(retried);
        }
    }

    /**
     * Receives at most {@code batchSize} messages (1 to 10) and delivers them, if there are any.
     *
     * @return the batch, empty when the queue had nothing visible
     */
    public Delivery deliverOnce(AccountWorkerHandler handler, Context context, int batchSize) {
        List<Message> messages = sqs.receiveMessage(request -> request.queueUrl(queueUrl)
                .maxNumberOfMessages(batchSize).waitTimeSeconds(0)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return new Delivery(List.of(), List.of());
        }
        SQSBatchResponse response = handler.handleRequest(event(messages), context);
        Set<String> failed = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
        var retried = new ArrayList<String>();
        for (Message message : messages) {
            if (failed.contains(message.messageId())) {
                retried.add(message.body());
                sqs.changeMessageVisibility(request -> request.queueUrl(queueUrl)
                        .receiptHandle(message.receiptHandle()).visibilityTimeout(0));
            } else {
                sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return new Delivery(messages.stream().map(Message::body).toList(), retried);
    }

    /** The event Lambda's SQS mapping would deliver for {@code messages}. */
    SQSEvent event(List<Message> messages) {
        List<Map<String, Object>> records = new ArrayList<>();
        String region = queueArn.split(":")[3];
        for (Message message : messages) {
            var record = new LinkedHashMap<String, Object>();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            record.put("attributes", message.attributesAsStrings());
            record.put("messageAttributes", Map.of());
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", region);
            records.add(record);
        }
        try {
            byte[] json = LocalRun.JSON.writeValueAsBytes(Map.of("Records", records));
            return SERIALIZER.fromJson(new ByteArrayInputStream(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the messages could not be written as an SQS event", e);
        }
    }
}
