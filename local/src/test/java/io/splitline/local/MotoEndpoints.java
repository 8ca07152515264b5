package io.splitline.local;

import io.splitline.devkit.MotoServer;
import io.splitline.store.AwsClients;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** SageMaker endpoints on moto_server for the local stack's rollout-target tests. */
final class MotoEndpoints {
    private MotoEndpoints() {
    }

    static SageMakerClient client(MotoServer moto) {
        return SageMakerClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentials()).httpClient(AwsClients.httpClient()).build();
    }

    /** An endpoint with variant {@code rf} (weight 1) and {@code gbm} (weight 0), one instance each. */
    static void create(SageMakerClient sageMaker, String endpoint) {
        for (String model : new String[] {endpoint + "-rf", endpoint + "-gbm"}) {
            sageMaker.createModel(b -> b.modelName(model).executionRoleArn("arn:aws:iam::123456789012:role/sm")
                    .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/ranker:latest")));
        }
        sageMaker.createEndpointConfig(b -> b.endpointConfigName(endpoint).productionVariants(
                v -> v.variantName("rf").modelName(endpoint + "-rf").initialInstanceCount(1).instanceType("ml.m5.large").initialVariantWeight(1f),
                v -> v.variantName("gbm").modelName(endpoint + "-gbm").initialInstanceCount(1).instanceType("ml.m5.large").initialVariantWeight(0f)));
        sageMaker.createEndpoint(b -> b.endpointName(endpoint).endpointConfigName(endpoint));
    }
}
