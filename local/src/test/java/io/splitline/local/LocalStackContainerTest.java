package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.splitline.store.AwsClients;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The same end-to-end scenarios as {@link LocalStackTest}, with the stack's tables in LocalStack's
 * DynamoDB and rollout health read from LocalStack's CloudWatch, through Testcontainers. Needs a Docker
 * engine; skipped with a message where there is none.
 */
class LocalStackContainerTest {
    static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4");

    @Test
    void scenarios_runAgainstLocalStack() throws Exception {
        assumeTrue(dockerAvailable(), "no Docker engine here: the LocalStack (Testcontainers) run of the end-to-end "
                + "scenarios is skipped; it runs wherever Docker is available");
        try (LocalStackContainer localstack = new LocalStackContainer(IMAGE).withServices("dynamodb", "cloudwatch")) {
            localstack.start();
            assertEquals(AwsClients.region().id(), localstack.getRegion(), "the stack's CloudWatch client uses this region");
            DynamoDbClient dynamo = DynamoDbClient.builder()
                    .endpointOverride(localstack.getEndpoint())
                    .region(Region.of(localstack.getRegion()))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey())))
                    .httpClient(AwsClients.httpClient())
                    .build();
            LocalOptions options = LocalOptions.parse("--port", "0", "--app-key", "app-key-for-tests",
                    "--admin-key", "admin-key-for-tests", "--step-interval", "PT0.2S",
                    "--cloudwatch-endpoint", localstack.getEndpoint().toString());
            try (LocalStack stack = LocalStack.start(options, new PrintStream(System.out, true), dynamo,
                    localstack.getEndpoint(), dynamo)) {
                ApiClient admin = new ApiClient(stack.baseUri(), "admin-key-for-tests");
                ApiClient app = new ApiClient(stack.baseUri(), "app-key-for-tests");
                Scenarios.experiment(admin, app, "ls-checkout");
                Scenarios.rollouts(admin, app, "ls");
            }
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
