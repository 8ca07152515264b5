package io.splitline.functions.rolloutstep;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.AggregateReader;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.json.Json;
import io.splitline.notify.EventBridgeNotifier;
import io.splitline.notify.Notifier;
import io.splitline.notify.watch.ExperimentWatch;
import io.splitline.results.ResultsService;
import io.splitline.rollout.health.CloudWatchClients;
import io.splitline.rollout.health.CloudWatchHealthSource;
import io.splitline.rollout.health.HealthSource;
import io.splitline.rollout.step.GuardrailGate;
import io.splitline.rollout.step.RolloutEvents;
import io.splitline.rollout.step.RolloutStep;
import io.splitline.rollout.step.StepReport;
import io.splitline.rollout.step.StepReportJson;
import io.splitline.rollout.step.TargetGuardrail;
import io.splitline.rollout.step.TargetStep;
import io.splitline.rollout.traffic.TrafficControls;
import io.splitline.rollout.traffic.aws.CloudWatchArmMetrics;
import io.splitline.rollout.traffic.aws.LambdaAliasControl;
import io.splitline.rollout.traffic.aws.SageMakerVariantsControl;
import io.splitline.rollout.traffic.aws.TargetClients;
import io.splitline.schedule.ScheduledAction;
import io.splitline.schedule.ScheduledActionJson;
import io.splitline.schedule.Scheduler;
import io.splitline.sdk.PayloadPublication;
import io.splitline.sdk.PayloadPublisher;
import io.splitline.sdk.S3PayloadPublisher;
import io.splitline.settings.Settings;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.wiring.Wiring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * {@code RolloutStepFunction}, run by an EventBridge schedule: first the {@link Scheduler} (scheduled
 * starts and ends of experiments and rollouts), then one {@link RolloutStep} over every in-progress
 * rollout, then, at its cadence, the {@link ExperimentWatch} over running experiments; everything worth
 * hearing about goes to the {@link Notifier}. Answers the step's report with the scheduled actions under
 * {@code scheduled} and the evaluations under {@code experiments}; when anything failed (a decision
 * that could not be made, stored or announced) it throws after everything was done, so that the
 * invocation counts in the function's {@code Errors} (alarmed) and goes to the dead-letter queue.
 *
 * <p>Environment: the table variables of every function, {@code EVENT_BUS_NAME} (default
 * {@code default}), {@value #EVALUATION_MINUTES} (default 15), and, for emulators only,
 * {@code CLOUDWATCH_ENDPOINT}, {@code EVENTBRIDGE_ENDPOINT} and {@code TARGETS_ENDPOINT} (Lambda and SageMaker);
 * the SDK payload's {@code PAYLOAD_BUCKET}, {@code PAYLOAD_KEY} and {@code DEFINITION_CACHE_SECONDS} (and
 * {@code S3_ENDPOINT} for emulators).
 */
public final class RolloutStepHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutStepHandler.class);
    /** Setting of the experiments' evaluation cadence, in whole minutes. */
    static final String EVALUATION_MINUTES = "EXPERIMENT_EVALUATION_MINUTES";

    private final Scheduler scheduler;
    private final RolloutStep step;
    private final ExperimentWatch watch;
    private PayloadPublication publication;

    /** Lambda's entry point: every client built once per container, from the environment. */
    public RolloutStepHandler() {
        this(Wiring.fromEnvironment(), CloudWatchClients.fromEnvironment(), EventBridgeNotifier.fromEnvironment());
    }

    private RolloutStepHandler(Wiring wiring, CloudWatchClient cloudWatch, Notifier notifier) {
        this(wiring, new CloudWatchHealthSource(cloudWatch), notifier, targets(cloudWatch,
                new LambdaAliasControl(TargetClients.lambda()), new SageMakerVariantsControl(TargetClients.sageMaker())));
        publishingTo(wiring, S3PayloadPublisher.fromEnvironment(
                wiring.seconds("DEFINITION_CACHE_SECONDS", Settings.DEFINITION_CACHE_TTL)));
    }

    /**
     * Publishes the SDK payload at the end of every run (docs/sdk.md): what the run started, ended, advanced
     * or rolled back reaches the published payload, and a publication a management call failed or lost to
     * a race is repaired within one run.
     */
    public RolloutStepHandler publishingTo(Wiring wiring, PayloadPublisher payloads) {
        this.publication = new PayloadPublication(new DynamoDbDefinitionStore(wiring.dynamo(), wiring.tables().definitions()),
                payloads, wiring.metrics(), wiring.clock());
        return this;
    }

    /** A step without AWS target clients: the steps of rollouts with a target fail (nothing can drive them). */
    public RolloutStepHandler(Wiring wiring, HealthSource health, Notifier notifier) {
        this(wiring, health, notifier, null);
    }

    /** @param targets drives the rollouts' Lambda aliases and SageMaker endpoints */
    public RolloutStepHandler(Wiring wiring, HealthSource health, Notifier notifier, TargetStep targets) {
        this(new DynamoDbDefinitionStore(wiring.dynamo(), wiring.tables().definitions()),
                new DynamoDbAggregateReader(wiring.dynamo(), wiring.tables().aggregates()), wiring, health, notifier, targets);
    }

    /** The target driver over the given adapters, its error guardrail reading {@code cloudWatch}. */
    public static TargetStep targets(CloudWatchClient cloudWatch, LambdaAliasControl lambda, SageMakerVariantsControl sageMaker) {
        return new TargetStep(new TrafficControls(List.of(lambda, sageMaker)), new CloudWatchArmMetrics(cloudWatch),
                new TargetGuardrail(new GuardrailGate()));
    }

    private RolloutStepHandler(DefinitionStore store, AggregateReader aggregates, Wiring wiring, HealthSource health,
                               Notifier notifier, TargetStep targets) {
        this(new Scheduler(store, wiring.clock(), notifier),
                new RolloutStep(store, health, aggregates, new GuardrailGate(), RolloutEvents.to(notifier), wiring.clock(),
                        targets),
                new ExperimentWatch(store, new ResultsService(store, aggregates, wiring.clock()), notifier, wiring.clock(),
                        wiring.minutes(EVALUATION_MINUTES, ExperimentWatch.DEFAULT_CADENCE)));
    }

    public RolloutStepHandler(Scheduler scheduler, RolloutStep step, ExperimentWatch watch) {
        this.scheduler = scheduler;
        this.step = step;
        this.watch = watch;
    }

    /**
     * Scheduled actions first (a rollout started now is stepped at the next run, once the index lists it),
     * then the rollouts, then, when the cadence says so, the running experiments.
     */
    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        LOG.info("rollout step for schedule event {}", event == null ? null : event.getId());
        List<ScheduledAction> scheduled = scheduler.run();
        StepReport report = step.run();
        List<ExperimentWatch.Evaluation> evaluations = watch.run();
        if (publication != null) {
            publication.publishCurrent();
        }
        ObjectNode answer = StepReportJson.toJson(report);
        ArrayNode actions = answer.putArray("scheduled");
        scheduled.forEach(a -> actions.add(ScheduledActionJson.toJson(a)));
        answer.set("experiments", Json.MAPPER.valueToTree(evaluations));
        List<String> failed = new ArrayList<>();
        report.failures().forEach(o -> failed.add("rollout " + o.key()));
        scheduled.stream().filter(a -> a.result() == ScheduledAction.Result.FAILED)
                .forEach(a -> failed.add("scheduled " + a.kind().label() + " " + a.key()));
        evaluations.stream().filter(e -> e.error() != null).forEach(e -> failed.add("experiment " + e.experiment()));
        if (!failed.isEmpty()) {
            throw new RolloutStepFailedException(report, failed, answer);
        }
        return Json.MAPPER.convertValue(answer, Json.MAPPER.getTypeFactory()
                .constructMapType(Map.class, String.class, Object.class));
    }

    /** Some rollouts, scheduled actions or evaluations failed; the others were carried out. */
    public static final class RolloutStepFailedException extends RuntimeException {
        private final transient StepReport report;

        RolloutStepFailedException(StepReport report, List<String> failed, ObjectNode answer) {
            super(failed.size() + " failed: " + failed + " " + Json.write(answer));
            this.report = report;
        }

        public StepReport report() {
            return report;
        }
    }
}
