package io.splitline.functions.ingest;

import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.http.ApiHandler;
import io.splitline.http.ApiRequest;
import io.splitline.http.ApiResponse;
import io.splitline.ingest.DynamoDbIngestStore;
import io.splitline.ingest.EventBatch;
import io.splitline.ingest.IngestResultJson;
import io.splitline.ingest.IngestService;
import io.splitline.json.Json;
import io.splitline.settings.Settings;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.wiring.Wiring;
import java.time.Clock;

/**
 * {@code IngestFunction}: {@code POST /events}. Validates the batch event by event and records the
 * valid ones exactly once ({@link IngestService}); raw events are kept {@code EVENT_RETENTION_DAYS}
 * (default 90) days.
 */
public final class IngestHandler extends ApiHandler {

    private final IngestService service;
    private final Clock clock;

    /** Lambda's entry point: wired once per container from the environment. */
    public IngestHandler() {
        this(Wiring.fromEnvironment());
    }

    public IngestHandler(Wiring wiring) {
        this(new IngestService(
                new DynamoDbIngestStore(wiring.dynamo(), wiring.tables(), wiring.days("EVENT_RETENTION_DAYS", Settings.EVENT_RETENTION)),
                new DefinitionTargets(new DefinitionCache(new DynamoDbDefinitionStore(wiring.dynamo(), wiring.tables().definitions()),
                        wiring.seconds("DEFINITION_CACHE_SECONDS", Settings.DEFINITION_CACHE_TTL), wiring.clock())),
                wiring.metrics(), wiring.clock()), wiring.clock());
    }

    public IngestHandler(IngestService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        if (!request.route().equals("POST /events")) {
            throw unknownRoute(request);
        }
        EventBatch batch = EventBatch.parse(Json.parseSyntax(request.body()), clock.instant());
        return ApiResponse.ok(IngestResultJson.toJson(service.ingest(batch)));
    }
}
