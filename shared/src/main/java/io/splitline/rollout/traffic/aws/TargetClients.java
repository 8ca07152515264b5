package io.splitline.rollout.traffic.aws;

import io.splitline.store.AwsClients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Builds the Lambda and SageMaker clients of the rollout step, once per container, like
 * {@code CloudWatchClients} (region from {@code AWS_REGION}, url-connection HTTP client).
 * {@value #ENDPOINT} points both at an emulator such as moto; it is unset in AWS.
 */
public final class TargetClients {
    /** Emulator endpoint of the Lambda and SageMaker clients; unset in AWS. */
    public static final String ENDPOINT = "TARGETS_ENDPOINT";

    private TargetClients() {
    }

    public static LambdaClient lambda() {
        var builder = LambdaClient.builder().region(AwsClients.region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build()).httpClient(AwsClients.httpClient());
        endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static SageMakerClient sageMaker() {
        var builder = SageMakerClient.builder().region(AwsClients.region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build()).httpClient(AwsClients.httpClient());
        endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static java.util.Optional<URI> endpoint() {
        String endpoint = System.getenv(ENDPOINT);
        return endpoint == null || endpoint.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(URI.create(endpoint));
    }
}
