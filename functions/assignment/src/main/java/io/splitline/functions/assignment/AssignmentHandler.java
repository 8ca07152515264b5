package io.splitline.functions.assignment;

import io.splitline.assignment.AssignRequest;
import io.splitline.assignment.AssignmentJson;
import io.splitline.assignment.AssignmentService;
import io.splitline.definitions.DefinitionCache;
import io.splitline.http.ApiHandler;
import io.splitline.http.ApiRequest;
import io.splitline.http.ApiResponse;
import io.splitline.ingest.ExposureRecorder;
import io.splitline.ingest.IngestStore;
import io.splitline.json.Json;
import io.splitline.store.DefinitionStore;
import io.splitline.wiring.Wiring;
import java.time.Duration;

/**
 * {@code AssignmentFunction}: {@code POST /assign}. Definitions come from an in-memory cache refreshed
 * every {@code DEFINITION_CACHE_SECONDS} (default 10), so a warm call reads nothing from DynamoDB.
 */
public final class AssignmentHandler extends ApiHandler {
    static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(10);
    static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

    private final AssignmentService service;

    /** Lambda's entry point: wired once per container from the environment. */
    public AssignmentHandler() {
        this(Wiring.fromEnvironment());
    }

    public AssignmentHandler(Wiring wiring) {
        this(new AssignmentService(
                new DefinitionCache(new DefinitionStore(wiring.dynamo(), wiring.tables().definitions()),
                        wiring.seconds("DEFINITION_CACHE_SECONDS", DEFAULT_CACHE_TTL), wiring.clock()),
                new ExposureRecorder(new IngestStore(wiring.dynamo(), wiring.tables(),
                        wiring.days("EVENT_RETENTION_DAYS", DEFAULT_RETENTION)), wiring.clock())));
    }

    public AssignmentHandler(AssignmentService service) {
        this.service = service;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        if (!request.route().equals("POST /assign")) {
            throw unknownRoute(request);
        }
        AssignRequest assign = AssignmentJson.parseRequest(Json.parse(request.body()));
        return ApiResponse.ok(AssignmentJson.response(assign.unitId(), service.assign(assign)));
    }
}
