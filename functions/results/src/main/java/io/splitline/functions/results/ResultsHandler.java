package io.splitline.functions.results;

import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.aggregate.DynamoDbSegmentRollups;
import io.splitline.holdout.HoldoutResultsService;
import io.splitline.http.ApiException;
import io.splitline.http.ApiHandler;
import io.splitline.http.ApiRequest;
import io.splitline.http.ApiResponse;
import io.splitline.json.Fields;
import io.splitline.results.ResultsJson;
import io.splitline.results.ResultsService;
import io.splitline.results.SegmentsJson;
import io.splitline.settings.Settings;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.wiring.Wiring;

/**
 * {@code ResultsFunction}: {@code GET /experiments/{key}/results} and {@code GET /holdouts/{key}/results}. An
 * experiment's segments come from its roll-up, recomputed (and stored) by the first call after it is
 * {@code SEGMENT_ROLLUP_SECONDS} old (default 60); the segments' statistics are memoised until the roll-up or the
 * definition changes, and so is their JSON ({@link SegmentsJson}): a call writes only the whole experiment's part anew.
 */
public final class ResultsHandler extends ApiHandler {
    private final ResultsService service;
    private final HoldoutResultsService holdouts;
    /** The segments' JSON, written once per roll-up and memoised segment results (as long-lived as the service's memo). */
    private final SegmentsJson segmentsJson = new SegmentsJson();

    /** Lambda's entry point: wired once per container from the environment. */
    public ResultsHandler() {
        this(Wiring.fromEnvironment());
    }

    public ResultsHandler(Wiring wiring) {
        this(new DynamoDbDefinitionStore(wiring.dynamo(), wiring.tables().definitions()),
                new DynamoDbAggregateReader(wiring.dynamo(), wiring.tables().aggregates()), wiring);
    }

    private ResultsHandler(DefinitionStore store, DynamoDbAggregateReader aggregates, Wiring wiring) {
        this(new ResultsService(store, aggregates, new DynamoDbSegmentRollups(wiring.dynamo(), wiring.tables().aggregates(), aggregates),
                        wiring.seconds("SEGMENT_ROLLUP_SECONDS", Settings.SEGMENT_ROLLUP_MAX_AGE), wiring.clock()),
                new HoldoutResultsService(store, aggregates, wiring.clock()));
    }

    public ResultsHandler(ResultsService service, HoldoutResultsService holdouts) {
        this.service = service;
        this.holdouts = holdouts;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        boolean holdout = request.route().equals("GET /holdouts/{key}/results");
        if (!holdout && !request.route().equals("GET /experiments/{key}/results")) {
            throw unknownRoute(request);
        }
        String key = request.pathParam("key");
        if (!Fields.KEY.matcher(key).matches()) {
            throw ApiException.invalid("key", (holdout ? "holdout" : "experiment") + " key must match " + Fields.KEY.pattern());
        }
        return ApiResponse.ok(ResultsJson.toJson(holdout ? holdouts.results(key) : service.results(key), segmentsJson));
    }
}
