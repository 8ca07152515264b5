package io.splitline.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A bus on moto_server with a rule that sends matching events to an SQS queue, as a subscriber would set
 * it up: tests read exactly what the subscriber would get. (A module that uses it declares the EventBridge
 * and SQS SDKs, test scope.)
 */
public final class SubscribedQueue {
    private static final ObjectMapper JSON = new ObjectMapper();
    public final EventBridgeClient eventBridge;
    public final String bus;
    private final SqsClient sqs;
    private final String queueUrl;

    /** A new bus named {@code bus} whose rule {@code pattern} targets a new queue. */
    public SubscribedQueue(MotoServer moto, String bus, String pattern) {
        this.eventBridge = EventBridgeClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        this.sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        this.bus = bus;
        eventBridge.createEventBus(b -> b.name(bus));
        this.queueUrl = sqs.createQueue(b -> b.queueName(bus + "-queue")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        eventBridge.putRule(b -> b.name(bus + "-rule").eventBusName(bus).eventPattern(pattern));
        eventBridge.putTargets(b -> b.rule(bus + "-rule").eventBusName(bus)
                .targets(Target.builder().id("queue").arn(queueArn).build()));
    }

    /** Every event delivered so far (the queue is drained). */
    public List<JsonNode> received() {
        List<JsonNode> events = new ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
            for (Message m : batch) {
                try {
                    events.add(JSON.readTree(m.body()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        } while (!batch.isEmpty());
        return events;
    }
}
