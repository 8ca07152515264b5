package io.splitline.local;

import io.splitline.store.AwsClients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;

/**
 * The local stack's AWS clients of an endpoint given on the command line (DynamoDB Local's streams,
 * moto_server): the region and HTTP client of every Splitline client, and placeholder credentials on
 * loopback, where emulators take any; a real endpoint needs real ones.
 */
final class EmulatorClients {
    private EmulatorClients() {
    }

    static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C at(B builder, URI endpoint) {
        boolean loopback = endpoint.getHost().equals("localhost") || endpoint.getHost().startsWith("127.");
        return builder.endpointOverride(endpoint)
                .region(AwsClients.region())
                .credentialsProvider(loopback
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                        : DefaultCredentialsProvider.builder().build())
                .httpClient(AwsClients.httpClient())
                .build();
    }
}
