package io.splitline.functions.assignment;

import io.splitline.assignment.AssignRequest;
import io.splitline.assignment.AssignmentJson;
import io.splitline.assignment.service.AssignmentService;
import io.splitline.definitions.DefinitionCache;
import io.splitline.http.ApiHandler;
import io.splitline.http.ApiRequest;
import io.splitline.http.ApiResponse;
import io.splitline.ingest.DynamoDbRawEventStore;
import io.splitline.ingest.ExposureRecorder;
import io.splitline.ingest.ExposurePutPriming;
import io.splitline.json.Json;
import io.splitline.sdk.SdkPayload;
import io.splitline.sdk.SdkPayloadService;
import io.splitline.settings.Settings;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.wiring.SnapStart;
import io.splitline.wiring.Wiring;
import java.time.Duration;
import java.util.Map;

/**
 * {@code AssignmentFunction}: {@code POST /assign} and {@code GET /sdk/payload} (the same definitions as
 * GrowthBook's features payload, for in-app evaluation, with {@code ETag} and {@code Cache-Control} as
 * long as the cache's refresh period). Definitions come from an in-memory cache refreshed
 * every {@code DEFINITION_CACHE_SECONDS} (default 10), so a warm call reads nothing from DynamoDB. Under
 * SnapStart the init primes the request path with untracked assignments ({@link SnapStart}) and the
 * exposure write with puts DynamoDB refuses ({@link ExposurePutPriming}), {@link SnapStart#ROUNDS} of each, so
 * that the snapshot holds them compiled.
 */
public final class AssignmentHandler extends ApiHandler {

    /** An untracked request for every running experiment, as API Gateway would deliver it. */
    static final String PRIMING_EVENT = """
            {"resource": "/assign", "path": "/assign", "httpMethod": "POST",
             "headers": {"Content-Type": "application/json"},
             "requestContext": {"identity": {"apiKey": "priming"}},
             "body": "{\\"unitId\\": \\"splitline-priming\\", \\"attributes\\": {\\"country\\": \\"DE\\", \\"appVersion\\": \\"2.0.0\\"}, \\"track\\": false}",
             "isBase64Encoded": false}""";

    private final AssignmentService service;
    private final SdkPayloadService payloads;
    private final String cacheControl;

    /** Lambda's entry point: wired once per container from the environment. */
    public AssignmentHandler() {
        this(Wiring.fromEnvironment(), SnapStart.snapshotting());
    }

    AssignmentHandler(Wiring wiring, boolean prime) {
        this(wiring);
        if (prime) {
            // Each round through a fresh throwaway handler, so that every round queries the definitions as the
            // first request after a restore does; then a tracked exposure's put, refused by DynamoDB: the tracked
            // path's SDK code, nothing written. A failed put (DynamoDB unreachable) ends the priming.
            SnapStart.repeat(() -> SnapStart.prime(new AssignmentHandler(wiring), PRIMING_EVENT)
                    && ExposurePutPriming.prime(wiring.dynamo(), wiring.tables()));
        }
    }

    public AssignmentHandler(Wiring wiring) {
        this(wiring, wiring.seconds("DEFINITION_CACHE_SECONDS", Settings.DEFINITION_CACHE_TTL));
    }

    private AssignmentHandler(Wiring wiring, Duration cacheTtl) {
        DefinitionCache definitions = new DefinitionCache(
                new DynamoDbDefinitionStore(wiring.dynamo(), wiring.tables().definitions()), cacheTtl, wiring.clock());
        this.service = new AssignmentService(definitions, new ExposureRecorder(new DynamoDbRawEventStore(wiring.dynamo(),
                wiring.tables(), wiring.days("EVENT_RETENTION_DAYS", Settings.EVENT_RETENTION), wiring.clock()), wiring.clock()));
        this.payloads = new SdkPayloadService(definitions);
        // A client may keep the payload as long as this function may: definitions reach it no faster.
        this.cacheControl = "private, max-age=" + cacheTtl.toSeconds();
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        return switch (request.route()) {
            case "POST /assign" -> {
                AssignRequest assign = AssignmentJson.parseRequest(Json.parse(request.body()));
                yield ApiResponse.ok(AssignmentJson.response(assign.unitId(), service.assign(assign)));
            }
            case "GET /sdk/payload" -> payload(request);
            default -> throw unknownRoute(request);
        };
    }

    private ApiResponse payload(ApiRequest request) {
        SdkPayload payload = payloads.current();
        Map<String, String> headers = Map.of("ETag", payload.etag(), "Cache-Control", cacheControl);
        if (payload.matches(request.headers().get("If-None-Match"))) {
            return new ApiResponse(304, null, headers);
        }
        return new ApiResponse(200, payload.body(), headers);
    }
}
