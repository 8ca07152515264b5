package io.splitline.local;

import io.splitline.devkit.OpenApiContract;
import java.util.List;
import java.util.Map;

/**
 * Holds every exchange of every local stack the tests start against {@code docs/openapi.yaml}
 * (registered in {@code META-INF/services}, so the end-to-end suites, the demo and the dashboard's
 * browser calls are all checked without opting in). The stack takes its admin key in {@code x-api-key}
 * where AWS wants a SigV4 signature.
 */
public final class OpenApiExchangeCheck implements ExchangeCheck {
    static final OpenApiContract CONTRACT = OpenApiContract.load(Map.of("sigv4", "x-api-key"));

    @Override
    public List<String> violations(Exchange e) {
        return CONTRACT.violations(new OpenApiContract.Request(e.method(), e.path(), e.query(), e.headers(), e.requestBody()),
                new OpenApiContract.Response(e.status(), e.responseBody()));
    }
}
