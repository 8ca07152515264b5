package io.splitline.functions.rolloutstep;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.devkit.SampleEvents;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.rollout.Decision;
import io.splitline.rollout.MutableClock;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.rollout.RolloutStatus;
import io.splitline.rollout.health.CloudWatchHealthSource;
import io.splitline.rollout.traffic.aws.LambdaAliasControl;
import io.splitline.rollout.traffic.aws.SageMakerVariantsControl;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;
import static io.splitline.functions.rolloutstep.StepFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollouts that shift real AWS traffic, end to end: {@code events/rollout-step-scheduled.json} through the
 * real handler, rollouts in DynamoDB Local, and a Lambda alias or a SageMaker endpoint, their metrics and
 * the step's health all on moto_server. Each scenario runs for both target types: healthy → 100 % and
 * promoted; treatment errors worse than control → back to 0 % (and kept there); another owner moves the
 * target → paused, target untouched; duplicate ticks in flight together → one update.
 */
@ExtendWith({DynamoDbLocalExtension.class, MotoServerExtension.class})
class RolloutTargetStepTest {
    /** A minute of traffic: plenty of control, a little treatment (5 % of requests, give or take). */
    private static final int CONTROL_PER_MINUTE = 500;
    private static final int TREATMENT_PER_MINUTE = 30;

    /** One target type, as the tests drive it. */
    enum Kind {
        LAMBDA {
            @Override
            String create(TargetMoto aws) {
                return aws.functionWithAlias(TargetMoto.unique("fn"));
            }

            @Override
            String targetJson(String name) {
                return """
                        {"type": "lambda-alias", "functionName": "%s", "alias": "live", "controlVersion": "1", "treatmentVersion": "2"}"""
                        .formatted(name);
            }

            @Override
            double treatmentShare(TargetMoto aws, String name) {
                GetAliasResponse alias = aws.lambda.getAlias(b -> b.functionName(name).name("live"));
                if (alias.functionVersion().equals("2")) {
                    return alias.routingConfig() == null || alias.routingConfig().additionalVersionWeights().isEmpty() ? 1.0 : -1.0;
                }
                return alias.routingConfig() == null ? 0.0 : alias.routingConfig().additionalVersionWeights().getOrDefault("2", 0.0);
            }

            @Override
            void setShare(TargetMoto aws, String name, double share) {
                aws.lambda.updateAlias(b -> b.functionName(name).name("live").functionVersion("1")
                        .routingConfig(r -> r.additionalVersionWeights(Map.of("2", share))));
            }

            @Override
            void takeOver(TargetMoto aws, String name) {
                // What a SAM deployment with AutoPublishAlias does: publish a new version and point the alias at it.
                aws.lambda.updateFunctionCode(b -> b.functionName(name).zipFile(TargetMoto.zip("def handler(e, c):\n    return 'v3'\n")));
                aws.lambda.publishVersion(b -> b.functionName(name));
                aws.lambda.updateAlias(b -> b.functionName(name).name("live").functionVersion("3")
                        .routingConfig(r -> r.additionalVersionWeights(Map.of())));
            }

            @Override
            String state(TargetMoto aws, String name) {
                GetAliasResponse alias = aws.lambda.getAlias(b -> b.functionName(name).name("live"));
                return alias.functionVersion() + " " + alias.routingConfig();
            }

            @Override
            void seed(TargetMoto aws, String name, Instant from, int minutes, int treatmentErrors) {
                aws.lambdaMinutes(name, "1", from, minutes, CONTROL_PER_MINUTE, 5);
                aws.lambdaMinutes(name, "2", from, minutes, TREATMENT_PER_MINUTE, treatmentErrors);
            }

            @Override
            String update() {
                return "UpdateAlias";
            }
        },
        SAGEMAKER {
            @Override
            String create(TargetMoto aws) {
                return aws.endpoint(TargetMoto.unique("ep"));
            }

            @Override
            String targetJson(String name) {
                return """
                        {"type": "sagemaker-variants", "endpointName": "%s", "controlVariant": "blue", "treatmentVariant": "green"}"""
                        .formatted(name);
            }

            @Override
            double treatmentShare(TargetMoto aws, String name) {
                double blue = 0;
                double green = 0;
                for (ProductionVariantSummary v : aws.sageMaker.describeEndpoint(b -> b.endpointName(name)).productionVariants()) {
                    double w = v.currentWeight() == null ? 0 : v.currentWeight();
                    if (v.variantName().equals("blue")) {
                        blue = w;
                    } else {
                        green = w;
                    }
                }
                return green / (blue + green);
            }

            @Override
            void setShare(TargetMoto aws, String name, double share) {
                aws.sageMaker.updateEndpointWeightsAndCapacities(b -> b.endpointName(name).desiredWeightsAndCapacities(
                        w -> w.variantName("blue").desiredWeight((float) (1 - share)).desiredInstanceCount(1),
                        w -> w.variantName("green").desiredWeight((float) share).desiredInstanceCount(1)));
            }

            @Override
            void takeOver(TargetMoto aws, String name) {
                setShare(aws, name, 0.3);
            }

            @Override
            String state(TargetMoto aws, String name) {
                return aws.sageMaker.describeEndpoint(b -> b.endpointName(name)).productionVariants().toString();
            }

            @Override
            void seed(TargetMoto aws, String name, Instant from, int minutes, int treatmentErrors) {
                aws.sageMakerMinutes(name, "blue", from, minutes, CONTROL_PER_MINUTE, 5);
                aws.sageMakerMinutes(name, "green", from, minutes, TREATMENT_PER_MINUTE, treatmentErrors);
            }

            @Override
            String update() {
                return "UpdateEndpointWeightsAndCapacities";
            }
        };

        abstract String create(TargetMoto aws);

        abstract String targetJson(String name);

        /** The treatment's share as AWS routes it now (-1 for a shape Splitline never sets). */
        abstract double treatmentShare(TargetMoto aws, String name);

        /** Sets the split directly, as a step of this rollout would have. */
        abstract void setShare(TargetMoto aws, String name, double share);

        /** Another owner changes the target. */
        abstract void takeOver(TargetMoto aws, String name);

        abstract String state(TargetMoto aws, String name);

        /** Per-minute metrics for both arms; control fails 1 % of its requests. */
        abstract void seed(TargetMoto aws, String name, Instant from, int minutes, int treatmentErrors);

        /** The operation that changes the split. */
        abstract String update();
    }

    private final MutableClock clock = new MutableClock(T0);

    private static ScheduledEvent sampleEvent() {
        return EventLoader.loadScheduledEvent(SampleEvents.path("rollout-step-scheduled.json").toString());
    }

    private RolloutStepHandler handler(TargetMoto aws, LocalTables tables) {
        Wiring wiring = Wiring.of(tables.client(), TableNames.fromLogicalIds(tables.names()), clock, datum -> { }, Map.of());
        return new RolloutStepHandler(wiring, new CloudWatchHealthSource(aws.cloudWatch), n -> { },
                RolloutStepHandler.targets(aws.cloudWatch, new LambdaAliasControl(aws.lambda),
                        new SageMakerVariantsControl(aws.sageMaker)));
    }

    private static RolloutService service(LocalTables tables) {
        return new RolloutService(new DynamoDbDefinitionStore(tables.client(), TableNames.fromLogicalIds(tables.names()).definitions()),
                Clock.fixed(T0, ZoneOffset.UTC));
    }

    /** Creates and starts (at T0) a 5 → 50 → 100 % rollout of the target. */
    private static String startRollout(RolloutService service, Kind kind, String name) {
        String key = "ship-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + name.substring(name.lastIndexOf('-', name.lastIndexOf('-') - 1) + 1);
        service.create(RolloutJson.parseSpec(Json.parse("""
                {"key": "%s", "stages": [{"percent": 5, "bake": "PT10M"}, {"percent": 50, "bake": "PT10M"}, {"percent": 100, "bake": "PT0S"}],
                 "health": {"minimumUnitsPerArm": 200}, "target": %s}""".formatted(key, kind.targetJson(name)))), "ada");
        service.act(key, RolloutAction.START, "ada");
        return key;
    }

    /** One test's target, its started rollout and a step handler over both. */
    private record Scenario(Kind kind, TargetMoto aws, String name, RolloutService service, String key,
                            RolloutStepHandler handler) {
        double share() {
            return kind.treatmentShare(aws, name);
        }

        String state() {
            return kind.state(aws, name);
        }
    }

    private Scenario scenario(Kind kind, MotoServer moto, LocalTables tables) {
        TargetMoto aws = new TargetMoto(moto);
        String name = kind.create(aws);
        RolloutService service = service(tables);
        return new Scenario(kind, aws, name, service, startRollout(service, kind, name), handler(aws, tables));
    }

    /** The first step, a minute after the start: it sends the first stage's share to the treatment. */
    private void atFirstStage(Scenario run) {
        tick(run.handler(), Duration.ofMinutes(1));
        assertEquals(0.05, run.share(), 1e-6, "the first step sends the first stage's share");
    }

    private void tick(RolloutStepHandler handler, Duration at) {
        clock.set(T0.plus(at));
        handler.handleRequest(sampleEvent(), null);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void healthy_advancesTo100AndPromotesTheTreatment(Kind kind, MotoServer moto, LocalTables tables) {
        // given a started rollout of a target whose treatment fails no more often than its control
        Scenario run = scenario(kind, moto, tables);
        kind.seed(run.aws(), run.name(), T0, 30, 0);

        // when the step runs through the stages
        atFirstStage(run);
        tick(run.handler(), Duration.ofMinutes(13));
        assertEquals(50, run.service().get(run.key()).percent(), run.service().get(run.key()).lastDecision().reason());
        assertEquals(0.5, run.share(), 1e-6);
        tick(run.handler(), Duration.ofMinutes(26));
        Rollout at100 = run.service().get(run.key());
        assertEquals(100, at100.percent(), at100.lastDecision().reason());
        tick(run.handler(), Duration.ofMinutes(27));

        // then it completed and the treatment alone serves the target
        Rollout done = run.service().get(run.key());
        assertEquals(RolloutStatus.COMPLETED, done.status(), done.lastDecision().reason());
        assertEquals(1.0, run.share(), 1e-6, run.state());
        // the advance to 100 % was judged on the 50 % stage's CloudWatch counts: 11 complete minutes per arm
        var metrics = JsonValues.node(at100.lastDecision().observations()).at("/target/metrics");
        assertEquals(11L * TREATMENT_PER_MINUTE, metrics.at("/treatment/invocations").asLong(), metrics.toString());
        assertEquals(11L * CONTROL_PER_MINUTE, metrics.at("/control/invocations").asLong(), metrics.toString());
        assertEquals(11L * 5, metrics.at("/control/errors").asLong(), metrics.toString());
        assertEquals(40.0, metrics.at("/treatment/latencyMs").asDouble(), 1e-9, metrics.toString());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void treatmentErrorsWorseThanControl_rollsBackToZeroAndKeepsItThere(Kind kind, MotoServer moto, LocalTables tables) {
        // given a rollout at 5 % whose treatment fails 30 % of its requests against 1 % in control
        Scenario run = scenario(kind, moto, tables);
        atFirstStage(run);
        kind.seed(run.aws(), run.name(), T0, 12, 9);

        // when the step sees the arms' CloudWatch counts
        tick(run.handler(), Duration.ofMinutes(13));

        // then the rollout is rolled back and the treatment gets nothing, at once
        Rollout r = run.service().get(run.key());
        assertEquals(RolloutStatus.ROLLED_BACK, r.status(), r.lastDecision().reason());
        assertEquals(Decision.ROLLBACK, r.lastDecision().decision());
        assertTrue(r.lastDecision().reason().contains("Errors' is significantly worse in treatment"), r.lastDecision().reason());
        assertEquals(0.0, run.share(), 1e-6, run.state());

        // and a later step takes the treatment off again when a stale write put it back
        kind.setShare(run.aws(), run.name(), 0.05);
        tick(run.handler(), Duration.ofMinutes(14));
        assertEquals(0.0, run.share(), 1e-6, run.state());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anotherOwnerMovesTheTarget_pausesAndLeavesItAlone(Kind kind, MotoServer moto, LocalTables tables) {
        // given a rollout at 5 %
        Scenario run = scenario(kind, moto, tables);
        atFirstStage(run);

        // when someone else changes the target (a deployment, an operator)
        kind.takeOver(run.aws(), run.name());
        String theirs = run.state();
        long updates = run.aws().count(kind.update());
        tick(run.handler(), Duration.ofMinutes(2));
        tick(run.handler(), Duration.ofMinutes(3));

        // then the rollout is paused with the reason, and the target is as they left it
        Rollout r = run.service().get(run.key());
        assertEquals(RolloutStatus.PAUSED, r.status(), r.lastDecision().reason());
        assertEquals(Decision.PAUSE, r.lastDecision().decision());
        assertTrue(r.lastDecision().reason().startsWith("target drifted"), r.lastDecision().reason());
        assertEquals(5, r.percent());
        assertEquals(theirs, run.state());
        assertEquals(updates, run.aws().count(kind.update()), "Splitline made no update after the drift");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void duplicateTicksInFlightTogether_updateTheTargetOnce(Kind kind, MotoServer moto, LocalTables tables) throws Exception {
        // given a started rollout and two deliveries of the same schedule event
        Scenario run = scenario(kind, moto, tables);
        RolloutStepHandler first = run.handler();
        RolloutStepHandler second = handler(run.aws(), tables);
        long before = run.aws().count(kind.update());
        clock.set(T0.plus(Duration.ofMinutes(1)));

        // when both run at once, and once more later the same minute
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (RolloutStepHandler h : List.of(first, second)) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return h.handleRequest(sampleEvent(), null);
                }));
            }
            go.countDown();
            for (Future<?> inFlight : runs) {
                inFlight.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        first.handleRequest(sampleEvent(), null);

        // then the target was updated exactly once, to the first stage's share
        assertEquals(1, run.aws().count(kind.update()) - before, run.state());
        assertEquals(0.05, run.share(), 1e-6);
        assertEquals(RolloutStatus.IN_PROGRESS, run.service().get(run.key()).status());
    }
}
