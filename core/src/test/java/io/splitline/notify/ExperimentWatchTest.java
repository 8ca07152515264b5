package io.splitline.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.ingest.EventBatch;
import io.splitline.ingest.FoldedIngest;
import io.splitline.experiment.ExperimentLimits;
import io.splitline.ingest.DerivedSums;
import io.splitline.ingest.IngestTarget;
import io.splitline.ingest.TestEvents;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.notify.watch.ExperimentWatch;
import io.splitline.results.ResultsService;
import io.splitline.rollout.MutableClock;
import io.splitline.store.DefinitionStore;
import io.splitline.store.InMemoryDefinitionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The step's evaluation of running experiments on the in-memory twins, with traffic through the real ingest:
 * each condition is announced once per episode, and concurrent evaluations announce once (through the
 * store's conditional replace of the watched state, which {@code DefinitionStoreContract} also runs on
 * DynamoDB Local).
 */
class ExperimentWatchTest {
    private static final String ADA = "arn:aws:iam::123456789012:user/ada";
    /** On a quarter hour: a 15-minute cadence evaluates here. */
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final String KEY = "checkout";

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingNotifier notifications = new RecordingNotifier();
    private final DefinitionStore store = new InMemoryDefinitionStore();
    private FoldedIngest ingest;
    private int eventIds;

    @BeforeEach
    void setUp() {
        ExperimentService experiments = new ExperimentService(store, clock);
        experiments.create(ExperimentJson.parseSpec(Json.parse("""
                {"key": "checkout", "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}],
                 "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"},
                             {"key": "error", "type": "conversion", "direction": "decrease", "role": "guardrail"}],
                 "minimumSampleSize": 100}""")), ADA);
        experiments.transition(KEY, LifecycleAction.START, ADA);
        // units named c-* are in control and g-* in green: the test decides the split
        // … and the fold spreads the sums over the experiment's default aggregate shards, as DefinitionTargets would
        IngestTarget target = new IngestTarget(KEY, IngestTarget.EXPERIMENT_SCOPE, true,
                unit -> Optional.of(unit.startsWith("c-") ? "control" : "green"), Set.of(), DerivedSums.NONE, Set.of(), Set.of(),
                List.of(), ExperimentLimits.DEFAULT_AGGREGATE_SHARDS);
        ingest = new FoldedIngest(key -> key.equals(KEY) ? Optional.of(target) : Optional.empty(), datum -> { }, clock);
    }

    private ExperimentWatch watch(Notifier notifier) {
        return new ExperimentWatch(store, new ResultsService(store, ingest, clock), notifier, clock, Duration.ofMinutes(15));
    }

    /** Exposes units {@code prefix-from} to {@code prefix-(to-1)}; every {@code everyNth} of them also fires {@code metric}. */
    private void units(String prefix, int from, int to, String metric, int everyNth) {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String unit = prefix + "-" + i;
            events.add(event(unit, "exposure", null));
            if (metric != null && i % everyNth == 0) {
                events.add(event(unit, "metric", metric));
            }
        }
        for (int i = 0; i < events.size(); i += EventBatch.MAX_EVENTS) {
            ObjectNode body = Json.object();
            ArrayNode array = body.putArray("events");
            events.subList(i, Math.min(events.size(), i + EventBatch.MAX_EVENTS)).forEach(array::add);
            ingest.ingest(EventBatch.parse(body, clock.instant()));
        }
    }

    private ObjectNode event(String unit, String type, String metric) {
        return TestEvents.event("e-" + eventIds++, KEY, unit, type, metric, T0);
    }

    private List<String> evaluate() {
        return watch(notifications).evaluate(KEY).published();
    }

    @Test
    void eachConditionIsAnnouncedOncePerEpisode() {
        // with no data: the first evaluation records the state and announces nothing
        assertEquals(List.of(), evaluate());

        // a broken split (300 vs 200 at 50/50): SRM, which also makes the recommendation "invalid"
        units("c", 0, 300, null, 1);
        units("g", 0, 200, null, 1);
        assertEquals(List.of(Notification.SRM_DETECTED, Notification.RECOMMENDATION_CHANGED), evaluate());
        assertEquals(List.of(), evaluate(), "the same SRM is not announced again");
        units("c", 300, 310, null, 1);
        assertEquals(List.of(), evaluate(), "nor while it lasts");
        Notification srm = notifications.published().get(0);
        assertEquals(KEY, JsonValues.node(srm.detail()).get("experiment").textValue());
        assertTrue(JsonValues.node(srm.detail()).get("pValue").doubleValue() < 0.001, JsonValues.node(srm.detail()).toString());
        assertEquals(300, JsonValues.node(srm.detail()).get("observed").get("control").longValue(), "the figures of the evaluation that found it");

        // the split heals: the recommendation changes, no SRM event
        units("g", 200, 310, null, 1);
        assertEquals(List.of(Notification.RECOMMENDATION_CHANGED), evaluate());

        // green converts far better and errs far more: primary significant, guardrail breached
        units("g", 310, 710, "purchase", 2);
        units("c", 310, 710, "purchase", 10);
        List<String> published = evaluate();
        assertTrue(published.contains(Notification.PRIMARY_METRIC_SIGNIFICANT), published.toString());
        assertEquals(List.of(), evaluate());
    }

    @Test
    void aGuardrailBreach_namesTheMetricAndVariant() {
        evaluate();
        units("c", 0, 400, "error", 50);
        units("g", 0, 400, "error", 4);

        List<String> published = evaluate();

        assertTrue(published.contains(Notification.GUARDRAIL_BREACHED), published.toString());
        Notification breach = notifications.published().stream()
                .filter(n -> n.detailType().equals(Notification.GUARDRAIL_BREACHED)).findFirst().orElseThrow();
        assertEquals("error", JsonValues.node(breach.detail()).get("metric").textValue());
        assertEquals("green", JsonValues.node(breach.detail()).get("variant").textValue());
        assertEquals("worse", JsonValues.node(breach.detail()).get("outcome").textValue());
        assertFalse(evaluate().contains(Notification.GUARDRAIL_BREACHED));
    }

    @Test
    void run_evaluatesRunningExperimentsOnlyAtItsCadence() {
        units("c", 0, 300, null, 1);
        units("g", 0, 200, null, 1);
        ExperimentWatch watch = watch(notifications);

        clock.set(T0.plus(Duration.ofMinutes(7)));
        assertEquals(List.of(), watch.run(), "not a quarter hour");
        clock.set(T0.plus(Duration.ofMinutes(15)).plusSeconds(40));
        List<ExperimentWatch.Evaluation> evaluated = watch.run();

        assertEquals(1, evaluated.size());
        assertEquals(List.of(Notification.SRM_DETECTED), evaluated.get(0).published(),
                "the first evaluation has no recommendation to compare with");
    }

    /** Four steps evaluate the same experiment at once, reading the same state: one announces. */
    @RepeatedTest(3)
    void concurrentEvaluations_announceOnce() throws Exception {
        evaluate();
        units("c", 0, 300, null, 1);
        units("g", 0, 200, null, 1);
        RecordingNotifier shared = new RecordingNotifier();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ExperimentWatch.Evaluation>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ExperimentWatch watch = watch(shared);
                futures.add(pool.submit(() -> {
                    go.await();
                    return watch.evaluate(KEY);
                }));
            }
            go.countDown();
            for (Future<ExperimentWatch.Evaluation> f : futures) {
                assertEquals(null, f.get(60, TimeUnit.SECONDS).error());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(List.of(Notification.SRM_DETECTED, Notification.RECOMMENDATION_CHANGED), shared.detailTypes());
    }
}
