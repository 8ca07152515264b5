package io.splitline.store;

import io.splitline.settings.Settings;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one factory of the functions' AWS SDK clients (DynamoDB here; CloudWatch and EventBridge through
 * {@link #build} in their adapter modules, so a function carries only the SDKs it uses), built once per
 * container. Region comes from {@code AWS_REGION} (set by Lambda); the light url-connection HTTP client keeps
 * cold starts short. An endpoint setting ({@code DYNAMODB_ENDPOINT}, {@code CLOUDWATCH_ENDPOINT},
 * {@code EVENTBRIDGE_ENDPOINT}) points a client at an emulator; it is unset in AWS.
 */
public final class AwsClients {
    /**
     * Idle connections kept per host, unless the JVM was started with {@code -Dhttp.maxConnections}: as many as the
     * stream fold has writes in flight (32, {@code ConcurrentWrites.IN_FLIGHT}), so that each of its phases reuses
     * the connections the last one opened; a function with fewer requests in flight opens, and keeps, fewer.
     */
    public static final int KEEP_ALIVE_CONNECTIONS = 32;
    private static final String KEEP_ALIVE_PROPERTY = "http.maxConnections";

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb() {
        return build(DynamoDbClient.builder(), Settings.env("DYNAMODB_ENDPOINT"));
    }

    /** A client of any service, configured like every other: region, credentials, HTTP client, endpoint. */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder,
                                                                                          Optional<String> endpoint) {
        builder.region(region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClient(httpClient());
        endpoint.map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static Region region() {
        return Region.of(Settings.env("AWS_REGION").orElse("us-east-1"));
    }

    public static SdkHttpClient httpClient() {
        // The url-connection client rides on the JDK's keep-alive cache, which keeps http.maxConnections idle
        // connections per host (default 5, read when the first connection is kept); the aggregate reader has
        // 8 queries in flight, so with 5 it would reopen (on AWS: handshake) 3 connections on every read.
        if (System.getProperty(KEEP_ALIVE_PROPERTY) == null) {
            System.setProperty(KEEP_ALIVE_PROPERTY, Integer.toString(KEEP_ALIVE_CONNECTIONS));
        }
        return UrlConnectionHttpClient.create();
    }
}
