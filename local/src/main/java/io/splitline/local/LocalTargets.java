package io.splitline.local;

import io.splitline.functions.rolloutstep.RolloutStepHandler;
import io.splitline.rollout.step.TargetStep;
import io.splitline.rollout.traffic.aws.LambdaAliasControl;
import io.splitline.rollout.traffic.aws.SageMakerVariantsControl;
import java.net.URI;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The rollout targets of the local stack: with {@code --aws-endpoint}, the step's Lambda, SageMaker and
 * CloudWatch clients all talk to that one emulator (moto_server), so a rollout with a {@code target}
 * shifts the emulator's aliases and endpoint weights. Without it there is nothing to shift, and the
 * step of such a rollout fails saying so.
 */
final class LocalTargets {
    private LocalTargets() {
    }

    /** The target driver for the options, or null without {@code --aws-endpoint}. */
    static TargetStep of(LocalOptions options) {
        URI endpoint = options.awsEndpoint();
        if (endpoint == null) {
            return null;
        }
        LambdaClient lambda = EmulatorClients.at(LambdaClient.builder(), endpoint);
        SageMakerClient sageMaker = EmulatorClients.at(SageMakerClient.builder(), endpoint);
        return RolloutStepHandler.targets(LocalStack.cloudWatch(options.cloudWatchEndpoint()),
                new LambdaAliasControl(lambda), new SageMakerVariantsControl(sageMaker));
    }
}
