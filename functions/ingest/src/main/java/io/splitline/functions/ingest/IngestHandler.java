package io.splitline.functions.ingest;

import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionTargets;
import io.splitline.http.ApiHandler;
import io.splitline.http.ApiRequest;
import io.splitline.http.ApiResponse;
import io.splitline.ingest.DynamoDbRawEventStore;
import io.splitline.ingest.EventBatch;
import io.splitline.ingest.IngestResultJson;
import io.splitline.ingest.RawEventIngest;
import io.splitline.json.Json;
import io.splitline.settings.Settings;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.wiring.Wiring;
import java.time.Clock;

/**
 * {@code IngestFunction}: {@code POST /events}. Validates the batch event by event and stores each valid
 * one once as its raw item ({@link RawEventIngest}); the aggregate function counts it from the events table's
 * stream. Raw events are kept {@code EVENT_RETENTION_DAYS} (default 90) days.
 */
public final class IngestHandler extends ApiHandler {

    private final RawEventIngest service;
    private final Clock clock;

    /** Lambda's entry point: wired once per container from the environment. */
    public IngestHandler() {
        this(Wiring.fromEnvironment());
    }

    public IngestHandler(Wiring wiring) {
        this(new RawEventIngest(
                new DynamoDbRawEventStore(wiring.dynamo(), wiring.tables(),
                        wiring.days("EVENT_RETENTION_DAYS", Settings.EVENT_RETENTION), wiring.clock()),
                new DefinitionTargets(new DefinitionCache(new DynamoDbDefinitionStore(wiring.dynamo(), wiring.tables().definitions()),
                        wiring.seconds("DEFINITION_CACHE_SECONDS", Settings.DEFINITION_CACHE_TTL), wiring.clock()))), wiring.clock());
    }

    public IngestHandler(RawEventIngest service, Clock clock) {
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
