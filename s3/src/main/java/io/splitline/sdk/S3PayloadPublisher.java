package io.splitline.sdk;

import io.splitline.settings.Settings;
import io.splitline.store.AwsClients;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Publishes the SDK payload as one S3 object that a CloudFront distribution can serve (docs/sdk.md):
 * {@code Content-Type: application/json}, a {@code Cache-Control} with the route's {@code max-age} but
 * {@code public} (the route's {@code private} would keep CloudFront from caching it), and the route's
 * entity tag in the object's metadata {@value #ETAG_METADATA}. S3 answers its own {@code ETag} (the
 * body's MD5), which like the route's changes exactly when the body does.
 */
public final class S3PayloadPublisher implements PayloadPublisher {
    /** The bucket setting; publishing is off without it. */
    public static final String BUCKET = "PAYLOAD_BUCKET";
    /** The object key setting, default {@value #DEFAULT_KEY}. */
    public static final String KEY = "PAYLOAD_KEY";
    public static final String DEFAULT_KEY = "sdk/payload.json";
    /** User metadata carrying the route's entity tag ({@code x-amz-meta-splitline-etag}). */
    public static final String ETAG_METADATA = "splitline-etag";

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final String cacheControl;

    /** @param maxAge how long a cache may keep the object: the functions' definitions cache TTL, as the route says */
    public S3PayloadPublisher(S3Client client, String bucket, String key, Duration maxAge) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.cacheControl = "public, max-age=" + maxAge.toSeconds();
    }

    /**
     * The publisher of a function in AWS Lambda: {@link PayloadPublisher#OFF} unless {@value #BUCKET} is set;
     * {@code S3_ENDPOINT} points it at an emulator (path-style addressing, as emulators need).
     */
    public static PayloadPublisher fromEnvironment(Duration maxAge) {
        Optional<String> bucket = Settings.env(BUCKET);
        if (bucket.isEmpty()) {
            return PayloadPublisher.OFF;
        }
        Optional<String> endpoint = Settings.env("S3_ENDPOINT");
        S3Client client = AwsClients.build(S3Client.builder().forcePathStyle(endpoint.isPresent()), endpoint);
        return new S3PayloadPublisher(client, bucket.get(), Settings.env(KEY).orElse(DEFAULT_KEY), maxAge);
    }

    @Override
    public void publish(String json, String etag) {
        client.putObject(b -> b.bucket(bucket).key(key).contentType("application/json").cacheControl(cacheControl)
                .metadata(Map.of(ETAG_METADATA, etag)), RequestBody.fromString(json));
    }
}
