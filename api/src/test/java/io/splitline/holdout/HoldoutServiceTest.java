package io.splitline.holdout;

import static io.splitline.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.LifecycleAction;
import io.splitline.http.ApiException;
import io.splitline.http.ErrorCode;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.store.DefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.store.HistoryPage;
import io.splitline.store.InMemoryDefinitionStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The holdouts resource on the in-memory definitions store: lifecycle, PATCH rules, audit history, and references to it. */
class HoldoutServiceTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final String ADA = "arn:aws:iam::123456789012:user/ada";
    private static final String HOLDOUT = """
            {"key": "q1-holdout", "percent": 5, "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"}]}""";

    private final DefinitionStore store = new InMemoryDefinitionStore();

    private HoldoutService service() {
        return new HoldoutService(store, CLOCK);
    }

    private Holdout create() {
        return service().create(HoldoutJson.parseSpec(Json.parse(HOLDOUT)), ADA);
    }

    private ApiException patchFails(String body) {
        return refused(() -> service().update("q1-holdout", JsonValues.parse(body), ADA));
    }

    @Test
    void lifecycle_isTheExperiments_andEveryChangeIsInTheHistory() {
        Holdout created = create();
        assertEquals(ExperimentStatus.DRAFT, created.status());
        assertEquals("q1-holdout", created.spec().seed());
        HoldoutService service = service();
        assertEquals(ExperimentStatus.RUNNING, service.transition("q1-holdout", LifecycleAction.START, ADA).status());
        assertEquals(ExperimentStatus.PAUSED, service.transition("q1-holdout", LifecycleAction.PAUSE, ADA).status());
        ApiException illegal = refused(() -> service.transition("q1-holdout", LifecycleAction.PAUSE, ADA));
        assertEquals(ErrorCode.CONFLICT, illegal.code());
        service.transition("q1-holdout", LifecycleAction.RESUME, ADA);
        Holdout raised = service.update("q1-holdout", JsonValues.parse("{\"version\": 4, \"percent\": 7.5}"), ADA);
        assertEquals(7.5, raised.spec().percent());
        assertEquals(5, raised.version());
        assertEquals(raised, service.get("q1-holdout"));
        assertEquals(List.of(raised), service.list("running"));
        assertEquals(List.of(), service.list("draft"));

        HistoryPage history = service.history("q1-holdout", HistoryPage.Request.FIRST);
        assertEquals(List.of("create", "start", "pause", "resume", "update"),
                history.entries().stream().map(HistoryEntry::action).toList());
        assertEquals(Json.parse("{\"percent\": {\"from\": 5.0, \"to\": 7.5}}"), JsonValues.node(history.entries().get(4).changes()));
        assertTrue(history.entries().stream().allMatch(e -> e.actor().equals(ADA)));
    }

    @Test
    void aPercentThatRoundsToNoGrain_isRefused_notStoredAsZero() {
        // 4.936397535006367E-16 is within 1e-6 of the 0 grain: it was accepted and stored as percent 0 (found by a fuzz test)
        for (String percent : List.of("4.936397535006367E-16", "0.000000001", "1e-320")) {
            ApiException zero = refused(() -> HoldoutJson.parseSpec(Json.parse(HOLDOUT.replace("\"percent\": 5", "\"percent\": " + percent))));
            assertEquals(ErrorCode.INVALID_REQUEST, zero.code(), percent);
            assertEquals("percent", zero.field(), percent);
        }
        assertEquals(0.01, HoldoutJson.parseSpec(Json.parse(HOLDOUT.replace("\"percent\": 5", "\"percent\": 0.0100000001"))).percent());
    }

    @Test
    void onceStarted_theSeedIsFrozen_andThePercentOnlyGrows() {
        create();
        Holdout draft = service().update("q1-holdout", JsonValues.parse("{\"version\": 1, \"seed\": \"s2\", \"percent\": 4}"), ADA);
        assertEquals("s2", draft.spec().seed());
        service().transition("q1-holdout", LifecycleAction.START, ADA);

        ApiException seed = patchFails("{\"version\": 3, \"seed\": \"s3\"}");
        assertEquals(ErrorCode.CONFLICT, seed.code());
        assertEquals("seed", seed.field());
        ApiException lower = patchFails("{\"version\": 3, \"percent\": 3}");
        assertEquals(ErrorCode.CONFLICT, lower.code());
        assertEquals("percent", lower.field());
        ApiException stale = patchFails("{\"version\": 1, \"percent\": 6}");
        assertEquals("version", stale.field());
        assertEquals("percent", patchFails("{\"version\": 3, \"percent\": 60}").field());
        assertEquals("status", patchFails("{\"version\": 3, \"status\": \"draft\"}").field());
        assertEquals("key", patchFails("{\"version\": 3, \"key\": \"other\"}").field());
        Holdout same = service().update("q1-holdout", JsonValues.parse("{\"version\": 3, \"percent\": 4}"), ADA);
        assertEquals(3, same.version(), "a PATCH that changes nothing writes nothing");

        service().transition("q1-holdout", LifecycleAction.ARCHIVE, ADA);
        assertEquals(ErrorCode.CONFLICT, patchFails("{\"version\": 4, \"description\": \"x\"}").code());
    }

    @Test
    void experimentsAndRollouts_mustNameAnExistingHoldout_andShareTheKeySpace() {
        ExperimentService experiments = new ExperimentService(store, CLOCK);
        String experiment = """
                {"key": "exp", "holdout": "q1-holdout", "variants": [{"key": "a", "weight": 0.5}, {"key": "b", "weight": 0.5}]}""";
        ApiException missing = refused(() -> experiments.create(ExperimentJson.parseSpec(Json.parse(experiment)), ADA));
        assertEquals("holdout", missing.field());
        RolloutService rollouts = new RolloutService(store, CLOCK);
        String rollout = "{\"key\": \"ro\", \"holdout\": \"q1-holdout\", \"stages\": [{\"percent\": 100, \"bake\": \"PT1H\"}]}";
        assertEquals("holdout", refused(() -> rollouts.create(RolloutJson.parseSpec(Json.parse(rollout)), ADA)).field());

        create();
        assertEquals("q1-holdout", experiments.create(ExperimentJson.parseSpec(Json.parse(experiment)), ADA).spec().holdout());
        assertEquals("q1-holdout", rollouts.create(RolloutJson.parseSpec(Json.parse(rollout)), ADA).spec().holdout());
        ApiException patched = refused(() -> experiments.update("exp", JsonValues.parse("{\"version\": 1, \"holdout\": \"nope\"}"), ADA));
        assertEquals("holdout", patched.field());
        experiments.transition("exp", LifecycleAction.START, ADA);
        ApiException frozen = refused(() -> experiments.update("exp", JsonValues.parse("{\"version\": 2, \"holdout\": null}"), ADA));
        assertEquals(ErrorCode.CONFLICT, frozen.code());

        ApiException taken = refused(() -> service().create(HoldoutJson.parseSpec(
                Json.parse("{\"key\": \"exp\", \"percent\": 5}")), ADA));
        assertEquals(ErrorCode.CONFLICT, taken.code());
        assertEquals(ErrorCode.NOT_FOUND, refused(() -> service().get("nope")).code());
    }
}
