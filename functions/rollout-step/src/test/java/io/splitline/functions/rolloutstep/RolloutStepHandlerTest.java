package io.splitline.functions.rolloutstep;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.devkit.SampleEvents;
import io.splitline.devkit.SubscribedQueue;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.notify.EventBridgeNotifier;
import io.splitline.notify.Notification;
import io.splitline.notify.Notifier;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.rollout.RolloutStatus;
import io.splitline.rollout.health.CloudWatchHealthSource;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import static io.splitline.functions.rolloutstep.StepFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code events/rollout-step-scheduled.json} (what {@code sam local invoke RolloutStepFunction -e …}
 * sends) through the real handler: rollouts in DynamoDB Local, CloudWatch from moto_server.
 */
@ExtendWith({DynamoDbLocalExtension.class, MotoServerExtension.class})
class RolloutStepHandlerTest {
    private static final Clock AT_30_MINUTES = Clock.fixed(T0.plus(Duration.ofMinutes(30)), ZoneOffset.UTC);

    private static ScheduledEvent sampleEvent() {
        return EventLoader.loadScheduledEvent(SampleEvents.path("rollout-step-scheduled.json").toString());
    }

    private static CloudWatchClient cloudWatch(MotoServer moto) {
        return CloudWatchClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static Wiring wiring(LocalTables tables, Clock clock) {
        return Wiring.of(tables.client(), TableNames.fromLogicalIds(tables.names()), clock, datum -> { }, Map.of());
    }

    private static RolloutService service(LocalTables tables) {
        return new RolloutService(new DynamoDbDefinitionStore(tables.client(), TableNames.fromLogicalIds(tables.names()).definitions()),
                Clock.fixed(T0, ZoneOffset.UTC));
    }

    private static void create(RolloutService service, String key, String health, boolean start) {
        service.create(RolloutJson.parseSpec(Json.parse("""
                {"key": "%s", "stages": [{"percent": 5, "bake": "PT30M"}, {"percent": 100, "bake": "PT0S"}] %s}"""
                .formatted(key, health == null ? "" : ", \"health\": " + health))), "ada");
        if (start) {
            service.act(key, RolloutAction.START, "ada");
        }
    }

    @Test
    void sampleScheduledEvent_stepsEveryRolloutInProgress(MotoServer moto, LocalTables tables) {
        // given a healthy rollout watching a Lambda error count, one without checks, and a draft
        CloudWatchClient cloudWatch = cloudWatch(moto);
        List<MetricDatum> healthy = new ArrayList<>();
        for (int m = 0; m < 30; m++) {
            healthy.add(MetricDatum.builder().metricName("Errors").timestamp(T0.plus(Duration.ofMinutes(m)).plusSeconds(30))
                    .dimensions(Dimension.builder().name("FunctionName").value("handler-test-ranker").build()).value(0.0).build());
        }
        cloudWatch.putMetricData(b -> b.namespace("AWS/Lambda").metricData(healthy));
        RolloutService service = service(tables);
        create(service, "watched", """
                {"metrics": [{"name": "errors", "namespace": "AWS/Lambda", "metricName": "Errors",
                              "dimensions": {"FunctionName": "handler-test-ranker"}, "statistic": "Sum",
                              "comparison": "GreaterThanThreshold", "threshold": 5}]}""", true);
        create(service, "plain", null, true);
        create(service, "drafted", null, false);
        List<Notification> published = new ArrayList<>();
        RolloutStepHandler handler = new RolloutStepHandler(wiring(tables, AT_30_MINUTES),
                new CloudWatchHealthSource(cloudWatch), published::add);

        // when the scheduled event arrives once the first bake is over
        Map<String, Object> answer = handler.handleRequest(sampleEvent(), null);

        // then both rollouts in progress advanced (and said so), the draft was left alone
        JsonNode report = Json.MAPPER.valueToTree(answer);
        assertEquals(2, report.get("rollouts").size(), report.toString());
        for (JsonNode outcome : report.get("rollouts")) {
            assertEquals("decided", outcome.get("result").textValue(), outcome.toString());
            assertEquals("advance", outcome.get("decision").textValue(), outcome.toString());
        }
        assertEquals(0, report.get("failures").intValue());
        assertEquals(100, service.get("watched").percent());
        assertEquals(100, service.get("plain").percent());
        assertEquals(RolloutStatus.DRAFT, service.get("drafted").status());
        assertEquals(List.of(Notification.ROLLOUT_STAGE_ADVANCED, Notification.ROLLOUT_STAGE_ADVANCED),
                published.stream().map(Notification::detailType).toList());
        assertEquals(List.of("plain", "watched"), published.stream().map(n -> JsonValues.node(n.detail()).get("rollout").textValue()).sorted().toList());
    }

    @Test
    void aScheduledExperiment_isStartedByTheStep_andAnnouncedOnTheBus(MotoServer moto, LocalTables tables) {
        // given an experiment scheduled to start at minute 10, and a subscriber to every Splitline event
        DefinitionStore store = new DynamoDbDefinitionStore(tables.client(), TableNames.fromLogicalIds(tables.names()).definitions());
        new ExperimentService(store, Clock.fixed(T0, ZoneOffset.UTC)).create(ExperimentJson.parseSpec(Json.parse("""
                {"key": "checkout", "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}],
                 "startAt": "%s"}""".formatted(T0.plus(Duration.ofMinutes(10))))), "ada");
        SubscribedQueue queue = new SubscribedQueue(moto, "handler-test-bus", "{\"source\": [\"splitline\"]}");
        RolloutStepHandler handler = new RolloutStepHandler(wiring(tables, AT_30_MINUTES), (spec, start, end) -> {
            throw new AssertionError("no rollouts");
        }, new EventBridgeNotifier(queue.eventBridge, queue.bus));

        // when the schedule fires at minute 30 (also a quarter hour: the running experiments are evaluated)
        JsonNode report = Json.MAPPER.valueToTree(handler.handleRequest(sampleEvent(), null));

        // then the experiment runs, started by the scheduler, and the subscriber heard it once
        assertEquals("done", report.get("scheduled").get(0).get("result").textValue(), report.toString());
        assertEquals("checkout", report.get("experiments").get(0).get("experiment").textValue(), report.toString());
        assertEquals(ExperimentStatus.RUNNING, new ExperimentService(store, AT_30_MINUTES).get("checkout").status());
        List<JsonNode> events = queue.received();
        Map<String, JsonNode> byType = new java.util.TreeMap<>();
        events.forEach(e -> byType.put(e.get("detail-type").textValue(), e.get("detail")));
        assertEquals(2, events.size(), events.toString());
        assertEquals(List.of(Notification.EXPERIMENT_STARTED, Notification.SCHEDULED_ACTION_TAKEN), List.copyOf(byType.keySet()));
        assertEquals("scheduler", byType.get(Notification.EXPERIMENT_STARTED).get("actor").textValue());
        assertEquals(T0.plus(Duration.ofMinutes(10)).toString(),
                byType.get(Notification.SCHEDULED_ACTION_TAKEN).get("scheduledFor").textValue());
    }

    @Test
    void aRolloutThatFails_makesTheInvocationFail_afterTheOthersWereStepped(MotoServer moto, LocalTables tables) {
        // given a rollout whose alarm fires (so it must be rolled back) and an event bus that refuses events
        CloudWatchClient cloudWatch = cloudWatch(moto);
        cloudWatch.putMetricAlarm(b -> b.alarmName("handler-test-firing").namespace("AWS/Lambda").metricName("Errors")
                .statistic("Sum").period(60).evaluationPeriods(1).threshold(1.0)
                .comparisonOperator("GreaterThanOrEqualToThreshold"));
        cloudWatch.setAlarmState(b -> b.alarmName("handler-test-firing").stateValue("ALARM").stateReason("test"));
        RolloutService service = service(tables);
        create(service, "alarmed", "{\"alarms\": [\"handler-test-firing\"]}", true);
        create(service, "plain", null, true);
        Notifier refusing = notification -> {
            if (notification.detailType().equals(Notification.ROLLOUT_ROLLED_BACK)) {
                throw new IllegalStateException("bus unavailable");
            }
        };
        RolloutStepHandler handler = new RolloutStepHandler(wiring(tables, AT_30_MINUTES),
                new CloudWatchHealthSource(cloudWatch), refusing);

        // when the schedule fires
        RolloutStepHandler.RolloutStepFailedException e = assertThrows(RolloutStepHandler.RolloutStepFailedException.class,
                () -> handler.handleRequest(sampleEvent(), null));

        // then the invocation fails naming the rollout, whose rollback stands, and the other one advanced
        assertTrue(e.getMessage().startsWith("1 failed: [rollout alarmed]"), e.getMessage());
        assertEquals(RolloutStatus.ROLLED_BACK, service.get("alarmed").status());
        assertEquals(100, service.get("plain").percent());
    }
}
