package io.splitline.functions.rolloutstep;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.AggregateReader;
import io.splitline.json.Json;
import io.splitline.rollout.RolloutEvents;
import io.splitline.rollout.RolloutStep;
import io.splitline.rollout.StepOutcome;
import io.splitline.rollout.StepReport;
import io.splitline.rollout.health.CloudWatchClients;
import io.splitline.rollout.health.CloudWatchHealthSource;
import io.splitline.rollout.health.HealthSource;
import io.splitline.schedule.ScheduledAction;
import io.splitline.schedule.Scheduler;
import io.splitline.store.AwsClients;
import io.splitline.store.DefinitionStore;
import io.splitline.wiring.Wiring;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * {@code RolloutStepFunction}, run by an EventBridge schedule: first the {@link Scheduler} (scheduled
 * starts and ends of experiments and rollouts), then one {@link RolloutStep} over every in-progress
 * rollout. Answers the step's report with the scheduled actions under {@code scheduled}; when any
 * rollout or scheduled action failed (its decision could not be made, stored or announced) it throws
 * after everything was stepped, so that the invocation counts in the function's {@code Errors}
 * (alarmed) and goes to the dead-letter queue.
 *
 * <p>Environment: the table variables of every function, {@code EVENT_BUS_NAME} (default
 * {@code default}), and, for emulators only, {@code CLOUDWATCH_ENDPOINT} and {@code EVENTBRIDGE_ENDPOINT}.
 */
public final class RolloutStepHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutStepHandler.class);
    static final String DEFAULT_BUS = "default";

    private final Scheduler scheduler;
    private final RolloutStep step;

    /** Lambda's entry point: every client built once per container, from the environment. */
    public RolloutStepHandler() {
        this(Wiring.fromEnvironment(), new CloudWatchHealthSource(CloudWatchClients.fromEnvironment()),
                new EventBridgeRolloutEvents(eventBridge(), env("EVENT_BUS_NAME").orElse(DEFAULT_BUS)));
    }

    public RolloutStepHandler(Wiring wiring, HealthSource health, RolloutEvents events) {
        this(new DefinitionStore(wiring.dynamo(), wiring.tables().definitions()), wiring, health, events);
    }

    private RolloutStepHandler(DefinitionStore store, Wiring wiring, HealthSource health, RolloutEvents events) {
        this(new Scheduler(store, wiring.clock()), new RolloutStep(store, health,
                new AggregateReader(wiring.dynamo(), wiring.tables().aggregates()), events, wiring.clock()));
    }

    public RolloutStepHandler(Scheduler scheduler, RolloutStep step) {
        this.scheduler = scheduler;
        this.step = step;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        LOG.info("rollout step for schedule event {}", event == null ? null : event.getId());
        List<ScheduledAction> scheduled = scheduler.run();
        StepReport report = step.run();
        ObjectNode answer = report.toJson();
        ArrayNode actions = answer.putArray("scheduled");
        scheduled.forEach(a -> actions.add(a.toJson()));
        List<ScheduledAction> failedActions = scheduled.stream().filter(a -> a.result() == ScheduledAction.Result.FAILED).toList();
        if (!report.failures().isEmpty() || !failedActions.isEmpty()) {
            throw new RolloutStepFailedException(report, failedActions, answer);
        }
        return Json.MAPPER.convertValue(answer, Json.MAPPER.getTypeFactory()
                .constructMapType(Map.class, String.class, Object.class));
    }

    /** Some rollouts or scheduled actions failed; the others were carried out. */
    public static final class RolloutStepFailedException extends RuntimeException {
        private final transient StepReport report;

        RolloutStepFailedException(StepReport report, List<ScheduledAction> failedActions, ObjectNode answer) {
            super(report.failures().size() + " of " + report.outcomes().size() + " rollouts failed: "
                    + report.failures().stream().map(StepOutcome::key).toList() + "; " + failedActions.size()
                    + " scheduled actions failed: " + failedActions.stream().map(ScheduledAction::key).toList() + " "
                    + Json.write(answer));
            this.report = report;
        }

        public StepReport report() {
            return report;
        }
    }

    private static EventBridgeClient eventBridge() {
        var builder = EventBridgeClient.builder()
                .region(AwsClients.region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClient(AwsClients.httpClient());
        env("EVENTBRIDGE_ENDPOINT").map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
