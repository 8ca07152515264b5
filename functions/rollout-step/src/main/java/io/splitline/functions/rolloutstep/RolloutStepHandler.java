package io.splitline.functions.rolloutstep;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.splitline.aggregate.AggregateReader;
import io.splitline.json.Json;
import io.splitline.rollout.RolloutEvents;
import io.splitline.rollout.RolloutStep;
import io.splitline.rollout.StepOutcome;
import io.splitline.rollout.StepReport;
import io.splitline.rollout.health.CloudWatchClients;
import io.splitline.rollout.health.CloudWatchHealthSource;
import io.splitline.rollout.health.HealthSource;
import io.splitline.store.AwsClients;
import io.splitline.store.DefinitionStore;
import io.splitline.wiring.Wiring;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * {@code RolloutStepFunction}, run by an EventBridge schedule: one {@link RolloutStep} over every
 * in-progress rollout. Answers the step's report; when any rollout failed (its decision could not be
 * made, stored or announced) it throws after all rollouts were stepped, so that the invocation counts
 * in the function's {@code Errors} (alarmed) and goes to the dead-letter queue.
 *
 * <p>Environment: the table variables of every function, {@code EVENT_BUS_NAME} (default
 * {@code default}), and, for emulators only, {@code CLOUDWATCH_ENDPOINT} and {@code EVENTBRIDGE_ENDPOINT}.
 */
public final class RolloutStepHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutStepHandler.class);
    static final String DEFAULT_BUS = "default";

    private final RolloutStep step;

    /** Lambda's entry point: every client built once per container, from the environment. */
    public RolloutStepHandler() {
        this(Wiring.fromEnvironment(), new CloudWatchHealthSource(CloudWatchClients.fromEnvironment()),
                new EventBridgeRolloutEvents(eventBridge(), env("EVENT_BUS_NAME").orElse(DEFAULT_BUS)));
    }

    public RolloutStepHandler(Wiring wiring, HealthSource health, RolloutEvents events) {
        this(new RolloutStep(new DefinitionStore(wiring.dynamo(), wiring.tables().definitions()), health,
                new AggregateReader(wiring.dynamo(), wiring.tables().aggregates()), events, wiring.clock()));
    }

    public RolloutStepHandler(RolloutStep step) {
        this.step = step;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        LOG.info("rollout step for schedule event {}", event == null ? null : event.getId());
        StepReport report = step.run();
        if (!report.failures().isEmpty()) {
            throw new RolloutStepFailedException(report);
        }
        return Json.MAPPER.convertValue(report.toJson(), Json.MAPPER.getTypeFactory()
                .constructMapType(Map.class, String.class, Object.class));
    }

    /** Some rollouts could not be stepped; the others were. */
    public static final class RolloutStepFailedException extends RuntimeException {
        private final transient StepReport report;

        RolloutStepFailedException(StepReport report) {
            super(report.failures().size() + " of " + report.outcomes().size() + " rollouts failed: "
                    + report.failures().stream().map(StepOutcome::key).toList() + " " + Json.write(report.toJson()));
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
