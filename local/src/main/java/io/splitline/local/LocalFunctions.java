package io.splitline.local;

import io.splitline.functions.assignment.AssignmentHandler;
import io.splitline.functions.experiments.ExperimentsHandler;
import io.splitline.functions.ingest.IngestHandler;
import io.splitline.functions.results.ResultsHandler;
import io.splitline.http.ApiHandler;
import io.splitline.http.ApiRoutes;
import io.splitline.notify.Notifier;
import io.splitline.wiring.Wiring;
import java.util.EnumMap;
import java.util.Map;

/** The API functions' real handler classes, built on one {@link Wiring}: what the local stack and {@code invoke} run. */
final class LocalFunctions {
    private LocalFunctions() {
    }

    /** Every API function's handler, by function; the management API's notifications go to {@code notifier}. */
    static Map<ApiRoutes.Function, ApiHandler> api(Wiring wiring, Notifier notifier) {
        Map<ApiRoutes.Function, ApiHandler> functions = new EnumMap<>(ApiRoutes.Function.class);
        for (ApiRoutes.Function function : ApiRoutes.Function.values()) {
            functions.put(function, handler(function, wiring, notifier));
        }
        return functions;
    }

    private static ApiHandler handler(ApiRoutes.Function function, Wiring wiring, Notifier notifier) {
        return switch (function) {
            case EXPERIMENTS -> new ExperimentsHandler(wiring, notifier);
            case ASSIGNMENT -> new AssignmentHandler(wiring);
            case INGEST -> new IngestHandler(wiring);
            case RESULTS -> new ResultsHandler(wiring);
        };
    }
}
