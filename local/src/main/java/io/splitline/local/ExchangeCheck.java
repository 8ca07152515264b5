package io.splitline.local;

import java.util.List;
import java.util.Map;

/**
 * A check of every API exchange the local stack serves, found with {@link java.util.ServiceLoader}. The
 * tests register one that holds each exchange against {@code docs/openapi.yaml}; the runnable jar has
 * none. When a check reports violations the stack answers {@code 500 internal} naming them instead of
 * the real answer, so whichever test made the call fails, with the reason in the failure.
 */
public interface ExchangeCheck {

    /**
     * One request and its answer.
     *
     * @param query   query parameters, last value wins
     * @param headers request headers, last value wins
     * @param requestBody  the body as sent, or null
     * @param responseBody the body of the answer, or null
     */
    record Exchange(String method, String path, Map<String, String> query, Map<String, String> headers,
                    String requestBody, int status, String responseBody) {
    }

    /** What is wrong with the exchange; empty when nothing is. */
    List<String> violations(Exchange exchange);
}
