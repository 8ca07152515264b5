package io.splitline.store;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the AWS SDK clients of a function, once per container. Region comes from {@code AWS_REGION}
 * (set by Lambda); the light url-connection HTTP client keeps cold starts short. {@code DYNAMODB_ENDPOINT}
 * points the client at DynamoDB Local (for {@code sam local invoke}); it is unset in AWS. The rollout
 * step's CloudWatch client is built by {@code io.splitline.rollout.health.CloudWatchClients}.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb() {
        var builder = DynamoDbClient.builder()
                .region(region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClient(httpClient());
        env("DYNAMODB_ENDPOINT").map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static Region region() {
        return Region.of(env("AWS_REGION").orElse("us-east-1"));
    }

    public static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.create();
    }

    static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
