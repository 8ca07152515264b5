package io.splitline.sdk;

/**
 * Where the SDK payload is published after each change, for a CDN to serve (docs/sdk.md, "Publishing the
 * payload to S3"): the port of {@link PayloadPublication}; its adapter is {@code S3PayloadPublisher}.
 */
@FunctionalInterface
public interface PayloadPublisher {

    /**
     * Writes the payload, replacing the one published before.
     *
     * @param json the payload's body, exactly as {@code GET /sdk/payload} serves it
     * @param etag its entity tag as the route answers it (quoted)
     */
    void publish(String json, String etag);

    /** The publisher when publishing is off: does nothing. */
    PayloadPublisher OFF = (json, etag) -> {
    };
}
