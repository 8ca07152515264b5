package io.splitline.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every route of the HTTP API, the function that serves it and the credential it needs. It is the
 * single list that the SAM template's API events are tested against and that the local stack uses to
 * turn a plain HTTP request into the API Gateway event the function would get in AWS.
 */
public final class ApiRoutes {

    /** Which credential a route needs: the app's API key, or admin rights (IAM in AWS). */
    public enum Access { APP, ADMIN }

    /** A function of the SAM template, by its logical id. */
    public enum Function {
        EXPERIMENTS("ExperimentsFunction"),
        ASSIGNMENT("AssignmentFunction"),
        INGEST("IngestFunction"),
        RESULTS("ResultsFunction");

        private final String logicalId;

        Function(String logicalId) {
            this.logicalId = logicalId;
        }

        public String logicalId() {
            return logicalId;
        }
    }

    /** One route; {@code resource} uses API Gateway's {@code {name}} placeholders. */
    public record Route(String method, String resource, Function function, Access access) {
        /** Path parameters when {@code path} matches this route's resource, else empty. */
        public Optional<Map<String, String>> match(String path) {
            String[] want = resource.split("/", -1);
            String[] got = path.split("/", -1);
            if (want.length != got.length) {
                return Optional.empty();
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < want.length; i++) {
                if (want[i].startsWith("{") && want[i].endsWith("}")) {
                    if (got[i].isEmpty()) {
                        return Optional.empty();
                    }
                    params.put(want[i].substring(1, want[i].length() - 1), got[i]);
                } else if (!want[i].equals(got[i])) {
                    return Optional.empty();
                }
            }
            return Optional.of(params);
        }
    }

    public static final List<Route> ALL = List.of(
            new Route("POST", "/assign", Function.ASSIGNMENT, Access.APP),
            new Route("GET", "/sdk/payload", Function.ASSIGNMENT, Access.APP),
            new Route("POST", "/events", Function.INGEST, Access.APP),

            new Route("POST", "/experiments", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/experiments", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/experiments/{key}", Function.EXPERIMENTS, Access.ADMIN),
            new Route("PATCH", "/experiments/{key}", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/experiments/{key}/start", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/experiments/{key}/pause", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/experiments/{key}/resume", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/experiments/{key}/complete", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/experiments/{key}/archive", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/experiments/{key}/history", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/experiments/{key}/results", Function.RESULTS, Access.ADMIN),

            new Route("POST", "/rollouts", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/rollouts", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/rollouts/{key}", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/rollouts/{key}/start", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/rollouts/{key}/pause", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/rollouts/{key}/resume", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/rollouts/{key}/promote", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/rollouts/{key}/abort", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/rollouts/{key}/history", Function.EXPERIMENTS, Access.ADMIN),

            new Route("POST", "/holdouts", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/holdouts", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/holdouts/{key}", Function.EXPERIMENTS, Access.ADMIN),
            new Route("PATCH", "/holdouts/{key}", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/holdouts/{key}/start", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/holdouts/{key}/pause", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/holdouts/{key}/resume", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/holdouts/{key}/complete", Function.EXPERIMENTS, Access.ADMIN),
            new Route("POST", "/holdouts/{key}/archive", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/holdouts/{key}/history", Function.EXPERIMENTS, Access.ADMIN),
            new Route("GET", "/holdouts/{key}/results", Function.RESULTS, Access.ADMIN));

    private ApiRoutes() {
    }

    /** A route and its path parameters. */
    public record Match(Route route, Map<String, String> pathParams) {
    }

    /** The route serving {@code method path}, if any. */
    public static Optional<Match> find(String method, String path) {
        for (Route route : ALL) {
            if (route.method().equals(method)) {
                Optional<Map<String, String>> params = route.match(path);
                if (params.isPresent()) {
                    return Optional.of(new Match(route, params.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** True when some route serves this path with another method (the answer is then 405, not 404). */
    public static boolean pathExists(String path) {
        return ALL.stream().anyMatch(r -> r.match(path).isPresent());
    }
}
