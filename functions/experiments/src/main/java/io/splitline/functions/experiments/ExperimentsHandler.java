package io.splitline.functions.experiments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.holdout.Holdout;
import io.splitline.holdout.HoldoutJson;
import io.splitline.holdout.HoldoutService;
import io.splitline.http.ApiHandler;
import io.splitline.http.ApiRequest;
import io.splitline.http.ApiResponse;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.notify.EventBridgeNotifier;
import io.splitline.notify.Notifier;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutHistoryJson;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutParser;
import io.splitline.rollout.RolloutService;
import io.splitline.sdk.PayloadPublication;
import io.splitline.sdk.PayloadPublisher;
import io.splitline.sdk.S3PayloadPublisher;
import io.splitline.settings.Settings;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.store.HistoryEntryJson;
import io.splitline.store.HistoryPage;
import io.splitline.wiring.Wiring;
import java.util.List;
import java.util.function.Function;

/**
 * {@code ExperimentsFunction}: the management routes of the API, experiments (everything under
 * {@code /experiments} but {@code /results}), rollouts (everything under {@code /rollouts}) and holdouts
 * (everything under {@code /holdouts} but {@code /results}). Parses
 * the request, calls {@link ExperimentService} or {@link RolloutService}, and writes the API form of the
 * answer. After every change that succeeded, the {@link PayloadPublication} publishes the SDK payload
 * (when {@code PAYLOAD_BUCKET} is set; docs/sdk.md).
 */
public final class ExperimentsHandler extends ApiHandler {
    private final ExperimentService experiments;
    private final RolloutService rollouts;
    private final HoldoutService holdouts;
    private final PayloadPublication publication;

    /** Lambda's entry point: wires the real table, clock, event bus and payload bucket, once per container. */
    public ExperimentsHandler() {
        this(Wiring.fromEnvironment());
    }

    private ExperimentsHandler(Wiring wiring) {
        this(wiring, EventBridgeNotifier.fromEnvironment(), S3PayloadPublisher.fromEnvironment(
                wiring.seconds("DEFINITION_CACHE_SECONDS", Settings.DEFINITION_CACHE_TTL)));
    }

    /** @param notifier where operators' moves worth hearing about go (experiment started, rollout paused...) */
    public ExperimentsHandler(Wiring wiring, Notifier notifier) {
        this(wiring, notifier, PayloadPublisher.OFF);
    }

    /** @param payloads where the SDK payload is published after each change ({@link PayloadPublisher#OFF}: nowhere) */
    public ExperimentsHandler(Wiring wiring, Notifier notifier, PayloadPublisher payloads) {
        this(new DynamoDbDefinitionStore(wiring.dynamo(), wiring.tables().definitions()), wiring, notifier, payloads);
    }

    private ExperimentsHandler(DefinitionStore store, Wiring wiring, Notifier notifier, PayloadPublisher payloads) {
        this(new ExperimentService(store, wiring.clock(), notifier), new RolloutService(store, wiring.clock(), notifier),
                new HoldoutService(store, wiring.clock()), new PayloadPublication(store, payloads, wiring.metrics(), wiring.clock()));
    }

    public ExperimentsHandler(ExperimentService experiments, RolloutService rollouts, HoldoutService holdouts) {
        this(experiments, rollouts, holdouts, null);
    }

    private ExperimentsHandler(ExperimentService experiments, RolloutService rollouts, HoldoutService holdouts,
                               PayloadPublication publication) {
        this.experiments = experiments;
        this.rollouts = rollouts;
        this.holdouts = holdouts;
        this.publication = publication;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        ApiResponse response = route(request);
        // Every route of this function but a GET changes a definition: the SDK payload may have changed.
        if (publication != null && !"GET".equals(request.method()) && response.status() < 300) {
            publication.publishCurrent();
        }
        return response;
    }

    private ApiResponse route(ApiRequest request) {
        return switch (request.route()) {
            case "POST /experiments" -> ApiResponse.created(ExperimentJson.toJson(
                    experiments.create(ExperimentJson.parseSpec(Json.parse(request.body())), request.actor())));
            case "GET /experiments" -> ApiResponse.ok(experiments(experiments.list(status(request))));
            case "GET /experiments/{key}" -> ok(experiments.get(key(request)));
            case "PATCH /experiments/{key}" -> ok(experiments.update(key(request), JsonValues.parse(request.body()), request.actor()));
            case "POST /experiments/{key}/start" -> transition(request, LifecycleAction.START);
            case "POST /experiments/{key}/pause" -> transition(request, LifecycleAction.PAUSE);
            case "POST /experiments/{key}/resume" -> transition(request, LifecycleAction.RESUME);
            case "POST /experiments/{key}/complete" -> transition(request, LifecycleAction.COMPLETE);
            case "POST /experiments/{key}/archive" -> transition(request, LifecycleAction.ARCHIVE);
            case "GET /experiments/{key}/history" -> ApiResponse.ok(page(experiments.history(key(request), page(request)), HistoryEntryJson::toJson));

            case "POST /rollouts" -> ApiResponse.created(RolloutJson.toJson(
                    rollouts.create(RolloutJson.parseSpec(Json.parse(request.body())), request.actor())));
            case "GET /rollouts" -> ApiResponse.ok(rollouts(rollouts.list(status(request))));
            case "GET /rollouts/{key}" -> ok(rollouts.get(key(request)));
            case "POST /rollouts/{key}/start" -> act(request, RolloutAction.START);
            case "POST /rollouts/{key}/pause" -> act(request, RolloutAction.PAUSE);
            case "POST /rollouts/{key}/resume" -> act(request, RolloutAction.RESUME);
            case "POST /rollouts/{key}/promote" -> ok(rollouts.promote(key(request),
                    RolloutParser.parsePromote(request.body()), request.actor()));
            case "POST /rollouts/{key}/abort" -> act(request, RolloutAction.ABORT);
            case "GET /rollouts/{key}/history" -> ApiResponse.ok(page(rollouts.history(key(request), page(request)),
                    RolloutHistoryJson::historyEntryToJson));

            case "POST /holdouts" -> ApiResponse.created(HoldoutJson.toJson(
                    holdouts.create(HoldoutJson.parseSpec(Json.parse(request.body())), request.actor())));
            case "GET /holdouts" -> ApiResponse.ok(holdouts(holdouts.list(status(request))));
            case "GET /holdouts/{key}" -> ok(holdouts.get(key(request)));
            case "PATCH /holdouts/{key}" -> ok(holdouts.update(key(request), JsonValues.parse(request.body()), request.actor()));
            case "POST /holdouts/{key}/start" -> move(request, LifecycleAction.START);
            case "POST /holdouts/{key}/pause" -> move(request, LifecycleAction.PAUSE);
            case "POST /holdouts/{key}/resume" -> move(request, LifecycleAction.RESUME);
            case "POST /holdouts/{key}/complete" -> move(request, LifecycleAction.COMPLETE);
            case "POST /holdouts/{key}/archive" -> move(request, LifecycleAction.ARCHIVE);
            case "GET /holdouts/{key}/history" -> ApiResponse.ok(page(holdouts.history(key(request), page(request)), HistoryEntryJson::toJson));
            default -> throw unknownRoute(request);
        };
    }

    private ApiResponse move(ApiRequest request, LifecycleAction action) {
        return ok(holdouts.transition(key(request), action, request.actor()));
    }

    private ApiResponse transition(ApiRequest request, LifecycleAction action) {
        return ok(experiments.transition(key(request), action, request.actor()));
    }

    private ApiResponse act(ApiRequest request, RolloutAction action) {
        return ok(rollouts.act(key(request), action, request.actor()));
    }

    private static String key(ApiRequest request) {
        return request.pathParam("key");
    }

    private static String status(ApiRequest request) {
        return request.queryParam("status").orElse(null);
    }

    private static ApiResponse ok(Experiment experiment) {
        return ApiResponse.ok(ExperimentJson.toJson(experiment));
    }

    private static ApiResponse ok(Rollout rollout) {
        return ApiResponse.ok(RolloutJson.toJson(rollout));
    }

    private static ApiResponse ok(Holdout holdout) {
        return ApiResponse.ok(HoldoutJson.toJson(holdout));
    }

    private static ObjectNode holdouts(List<Holdout> holdouts) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("holdouts");
        holdouts.forEach(h -> array.add(HoldoutJson.toJson(h)));
        return body;
    }

    private static ObjectNode experiments(List<Experiment> experiments) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("experiments");
        experiments.forEach(e -> array.add(ExperimentJson.toJson(e)));
        return body;
    }

    private static ObjectNode rollouts(List<Rollout> rollouts) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("rollouts");
        rollouts.forEach(r -> array.add(RolloutJson.toJson(r)));
        return body;
    }

    private static HistoryPage.Request page(ApiRequest request) {
        return HistoryPage.Request.parse(request.queryParam("limit"), request.queryParam("next"), request.queryParam("order"));
    }

    /** {@code {"entries": [...], "next": token or null}}. */
    private static ObjectNode page(HistoryPage page, Function<HistoryEntry, ObjectNode> form) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("entries");
        page.entries().forEach(e -> array.add(form.apply(e)));
        body.put("next", page.next().orElse(null));
        return body;
    }
}
