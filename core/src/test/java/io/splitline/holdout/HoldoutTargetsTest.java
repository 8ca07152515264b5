package io.splitline.holdout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.ingest.IngestTarget;
import io.splitline.json.Json;
import io.splitline.store.DefinitionStore;
import io.splitline.store.InMemoryDefinitionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What events count for, with a holdout: the holdout's own arms, and the held-out units outside the experiment. */
class HoldoutTargetsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void exposureEvents_ofHeldOutUnits_countForTheHoldoutOnly_unlessOverridden() {
        DefinitionStore store = new InMemoryDefinitionStore();
        HoldoutService holdouts = new HoldoutService(store, CLOCK);
        holdouts.create(HoldoutJson.parseSpec(Json.parse("{\"key\": \"q1-holdout\", \"percent\": 5}")), "test");
        holdouts.transition("q1-holdout", LifecycleAction.START, "test");
        // unit-76 and unit-112 are held out at 5 % with seed q1-holdout (holdout/counts.json); unit-0 is not
        ExperimentService experiments = new ExperimentService(store, CLOCK);
        experiments.create(ExperimentJson.parseSpec(Json.parse("""
                {"key": "hx", "holdout": "q1-holdout", "overrides": {"unit-112": "b"},
                 "variants": [{"key": "a", "weight": 0.5}, {"key": "b", "weight": 0.5}]}""")), "test");
        experiments.transition("hx", LifecycleAction.START, "test");
        DefinitionTargets targets = new DefinitionTargets(new DefinitionCache(store, Duration.ofMinutes(1), CLOCK));

        IngestTarget experiment = targets.find("hx").orElseThrow();
        assertEquals(Optional.empty(), experiment.armOf().apply("unit-76"));
        assertEquals(Optional.of("b"), experiment.armOf().apply("unit-112"), "overrides win over the holdout");
        assertTrue(experiment.armOf().apply("unit-0").isPresent());

        IngestTarget holdout = targets.find("q1-holdout").orElseThrow();
        assertTrue(holdout.active());
        assertEquals(IngestTarget.EXPERIMENT_SCOPE, holdout.scope());
        assertEquals(Optional.of(HoldoutSpec.HOLDOUT), holdout.armOf().apply("unit-76"));
        assertEquals(Optional.of(HoldoutSpec.GENERAL), holdout.armOf().apply("unit-0"));

        holdouts.transition("q1-holdout", LifecycleAction.PAUSE, "test");
        DefinitionTargets later = new DefinitionTargets(new DefinitionCache(store, Duration.ofMinutes(1), CLOCK));
        assertFalse(later.find("q1-holdout").orElseThrow().active());
        assertTrue(later.find("hx").orElseThrow().armOf().apply("unit-76").isPresent(), "a paused holdout releases its units");
    }
}
