package io.splitline.rollout.traffic.aws;

import io.splitline.settings.Settings;
import io.splitline.store.AwsClients;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Builds the Lambda and SageMaker clients of the rollout step, once per container, through the one client
 * factory ({@link AwsClients}). {@value #ENDPOINT} points both at an emulator such as moto; it is unset in AWS.
 */
public final class TargetClients {
    /** Emulator endpoint of the Lambda and SageMaker clients; unset in AWS. */
    public static final String ENDPOINT = "TARGETS_ENDPOINT";

    private TargetClients() {
    }

    public static LambdaClient lambda() {
        return AwsClients.build(LambdaClient.builder(), Settings.env(ENDPOINT));
    }

    public static SageMakerClient sageMaker() {
        return AwsClients.build(SageMakerClient.builder(), Settings.env(ENDPOINT));
    }
}
