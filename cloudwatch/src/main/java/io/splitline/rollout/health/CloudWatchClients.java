package io.splitline.rollout.health;

import io.splitline.settings.Settings;
import io.splitline.store.AwsClients;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Builds the CloudWatch client of the rollout step, once per container, through the one client factory
 * ({@link AwsClients}). {@code CLOUDWATCH_ENDPOINT} points it at an emulator such as moto; it is unset in AWS.
 * It lives in the {@code cloudwatch} module, so functions that never read CloudWatch do not carry its SDK.
 */
public final class CloudWatchClients {
    private CloudWatchClients() {
    }

    public static CloudWatchClient fromEnvironment() {
        return AwsClients.build(CloudWatchClient.builder(), Settings.env("CLOUDWATCH_ENDPOINT"));
    }
}
