package io.splitline.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.splitline.http.ApiRoutes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the API Gateway REST (v1 proxy) event a function gets in AWS from a plain HTTP request, so the
 * local stack runs the very same handler code path: resource template, decoded path and query
 * parameters, single- and multi-value headers and a request context with the caller's identity.
 */
final class ApiGatewayBridge {
    static final String STAGE = "local";

    private ApiGatewayBridge() {
    }

    /**
     * @param caller who the key says the caller is: {@code "admin"} for the admin key (IAM in AWS), null
     *               for the app key (the identity then carries the API key, as in AWS)
     * @throws IllegalArgumentException for a malformed percent-escape in the path or query
     */
    static APIGatewayProxyRequestEvent toEvent(ApiRoutes.Match match, String method, String rawPath, String rawQuery,
                                               Map<String, List<String>> headers, String body, String caller,
                                               String apiKey, Instant now) {
        Map<String, String> single = new HashMap<>();
        Map<String, List<String>> multi = new HashMap<>();
        headers.forEach((name, values) -> {
            if (!values.isEmpty()) {
                single.put(name, values.get(values.size() - 1));
                multi.put(name, List.copyOf(values));
            }
        });
        Map<String, List<String>> query = query(rawQuery);
        Map<String, String> lastQuery = new HashMap<>();
        query.forEach((k, v) -> lastQuery.put(k, v.get(v.size() - 1)));
        Map<String, String> pathParams = new HashMap<>();
        match.pathParams().forEach((k, v) -> pathParams.put(k, decode(v)));

        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity()
                .withSourceIp("127.0.0.1")
                .withUserAgent(single.getOrDefault("User-Agent", single.get("user-agent")));
        if (caller != null) {
            identity.setCaller(caller);
        } else {
            identity.setApiKey(apiKey);
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withAccountId("000000000000")
                .withApiId("local")
                .withStage(STAGE)
                .withRequestId(UUID.randomUUID().toString())
                .withResourcePath(match.route().resource())
                .withHttpMethod(method)
                .withPath("/" + STAGE + rawPath)
                .withIdentity(identity);
        context.setRequestTimeEpoch(now.toEpochMilli());
        return new APIGatewayProxyRequestEvent()
                .withResource(match.route().resource())
                .withPath(rawPath)
                .withHttpMethod(method)
                .withHeaders(single)
                .withMultiValueHeaders(multi)
                .withQueryStringParameters(lastQuery.isEmpty() ? null : lastQuery)
                .withMultiValueQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(pathParams.isEmpty() ? null : pathParams)
                .withRequestContext(context)
                .withBody(body)
                .withIsBase64Encoded(false);
    }

    static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** Path segments: percent-decoding only ('+' is a literal plus in a path). */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
