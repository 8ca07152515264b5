package io.splitline.definitions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.ingest.IngestTarget;
import io.splitline.ingest.MarkerPruning;
import io.splitline.json.Json;
import io.splitline.rollout.MutableClock;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.store.DefinitionStore;
import io.splitline.store.InMemoryDefinitionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Finding 3 of docs/ingest-v2.md: a keyless record is split into the active targets and, inactive, those an earlier
 * attempt at its batch may have found active (stopped, or a rollout stage ended, within {@link MarkerPruning#RETIRE_AFTER}).
 */
class KeylessFanOutTargetsTest {
    static final String ACTOR = "test";

    @Test
    void targetsStoppedLately_stayInTheFanOutAsInactive_untilNoRecordOfThemCanBeInTheStream() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        DefinitionStore store = new InMemoryDefinitionStore();
        ExperimentService experiments = new ExperimentService(store, clock);
        for (String key : List.of("exp-run", "exp-stop", "exp-draft")) {
            experiments.create(ExperimentJson.parseSpec(Json.parse("""
                    {"key": "%s", "variants": [{"key": "a", "weight": 0.5}, {"key": "b", "weight": 0.5}]}""".formatted(key))), ACTOR);
        }
        experiments.transition("exp-run", LifecycleAction.START, ACTOR);
        experiments.transition("exp-stop", LifecycleAction.START, ACTOR);
        RolloutService rollouts = new RolloutService(store, clock);
        rollouts.create(RolloutJson.parseSpec(Json.parse("""
                {"key": "ro", "stages": [{"percent": 5, "bake": "PT30M"}, {"percent": 50, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}]}""")), ACTOR);
        rollouts.act("ro", RolloutAction.START, ACTOR);
        clock.advance(Duration.ofHours(1));
        experiments.transition("exp-stop", LifecycleAction.COMPLETE, ACTOR);
        rollouts.promote("ro", 5, ACTOR);

        DefinitionTargets now = new DefinitionTargets(new DefinitionCache(store, Duration.ofMinutes(1), clock));
        assertEquals(List.of("exp-run/-/active", "ro/s1/active"), described(now.active()));
        assertEquals(List.of("exp-run/-/active", "exp-stop/-/inactive", "ro/s0/inactive", "ro/s1/active"), described(now.keylessFanOut()));

        clock.advance(MarkerPruning.RETIRE_AFTER.plusMinutes(1));
        DefinitionTargets later = new DefinitionTargets(new DefinitionCache(store, Duration.ofMinutes(1), clock));
        assertEquals(List.of("exp-run/-/active", "ro/s1/active"), described(later.keylessFanOut()));
    }

    static List<String> described(List<IngestTarget> targets) {
        return targets.stream().map(t -> t.key() + "/" + t.scope() + "/" + (t.active() ? "active" : "inactive")).collect(Collectors.toList());
    }
}
