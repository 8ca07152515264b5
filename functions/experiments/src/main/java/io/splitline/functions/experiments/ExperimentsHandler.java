package io.splitline.functions.experiments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.http.ApiHandler;
import io.splitline.http.ApiRequest;
import io.splitline.http.ApiResponse;
import io.splitline.json.Json;
import io.splitline.store.DefinitionStore;
import io.splitline.store.HistoryEntry;
import io.splitline.wiring.Wiring;
import java.util.List;

/**
 * {@code ExperimentsFunction}: the experiments management routes of the API (everything under
 * {@code /experiments} but {@code /results}). Parses the request, calls {@link ExperimentService}, and
 * writes the API form of the answer.
 */
public final class ExperimentsHandler extends ApiHandler {
    private final ExperimentService service;

    /** Lambda's entry point: wires the real table and clock, once per container. */
    public ExperimentsHandler() {
        this(Wiring.fromEnvironment());
    }

    public ExperimentsHandler(Wiring wiring) {
        this(new ExperimentService(new DefinitionStore(wiring.dynamo(), wiring.tables().definitions()), wiring.clock()));
    }

    public ExperimentsHandler(ExperimentService service) {
        this.service = service;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return switch (request.route()) {
            case "POST /experiments" -> ApiResponse.created(ExperimentJson.toJson(
                    service.create(ExperimentJson.parseSpec(Json.parse(request.body())), request.actor())));
            case "GET /experiments" -> ApiResponse.ok(experiments(service.list(request.queryParam("status").orElse(null))));
            case "GET /experiments/{key}" -> ok(service.get(key(request)));
            case "PATCH /experiments/{key}" -> ok(service.update(key(request), Json.parse(request.body()), request.actor()));
            case "POST /experiments/{key}/start" -> transition(request, LifecycleAction.START);
            case "POST /experiments/{key}/pause" -> transition(request, LifecycleAction.PAUSE);
            case "POST /experiments/{key}/resume" -> transition(request, LifecycleAction.RESUME);
            case "POST /experiments/{key}/complete" -> transition(request, LifecycleAction.COMPLETE);
            case "POST /experiments/{key}/archive" -> transition(request, LifecycleAction.ARCHIVE);
            case "GET /experiments/{key}/history" -> ApiResponse.ok(entries(service.history(key(request))));
            default -> throw unknownRoute(request);
        };
    }

    private ApiResponse transition(ApiRequest request, LifecycleAction action) {
        return ok(service.transition(key(request), action, request.actor()));
    }

    private static String key(ApiRequest request) {
        return request.pathParam("key");
    }

    private static ApiResponse ok(Experiment experiment) {
        return ApiResponse.ok(ExperimentJson.toJson(experiment));
    }

    private static ObjectNode experiments(List<Experiment> experiments) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("experiments");
        experiments.forEach(e -> array.add(ExperimentJson.toJson(e)));
        return body;
    }

    private static ObjectNode entries(List<HistoryEntry> history) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("entries");
        history.forEach(e -> array.add(e.toJson()));
        return body;
    }
}
