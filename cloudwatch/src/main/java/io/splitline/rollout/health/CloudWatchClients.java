package io.splitline.rollout.health;

import io.splitline.store.AwsClients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Builds the CloudWatch client of the rollout step, once per container, like {@link AwsClients} builds the
 * DynamoDB one (region from {@code AWS_REGION}, url-connection HTTP client). {@code CLOUDWATCH_ENDPOINT}
 * points it at an emulator such as moto; it is unset in AWS. It lives here, beside its only user, because
 * the CloudWatch SDK is an optional dependency of {@code shared}: functions that never read CloudWatch do
 * not carry it.
 */
public final class CloudWatchClients {
    private CloudWatchClients() {
    }

    public static CloudWatchClient fromEnvironment() {
        var builder = CloudWatchClient.builder()
                .region(AwsClients.region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClient(AwsClients.httpClient());
        String endpoint = System.getenv("CLOUDWATCH_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }
}
