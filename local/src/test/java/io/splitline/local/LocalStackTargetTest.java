package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;

/** {@code --aws-endpoint}: one emulator for the step's CloudWatch, Lambda and SageMaker clients. */
@ExtendWith(MotoServerExtension.class)
class LocalStackTargetTest {

    @Test
    void awsEndpoint_pointsCloudWatchUnlessNamedApart() {
        LocalOptions one = LocalOptions.parse("--aws-endpoint", "http://127.0.0.1:5000");
        assertEquals(URI.create("http://127.0.0.1:5000"), one.awsEndpoint());
        assertEquals(URI.create("http://127.0.0.1:5000"), one.cloudWatchEndpoint());
        LocalOptions both = LocalOptions.parse("--aws-endpoint", "http://127.0.0.1:5000", "--cloudwatch-endpoint", "http://127.0.0.1:5001");
        assertEquals(URI.create("http://127.0.0.1:5001"), both.cloudWatchEndpoint());
    }

    @Test
    void rolloutWithASageMakerTarget_shiftsTheEmulatorsEndpointToTheTreatment(MotoServer moto) throws Exception {
        // given an endpoint on moto whose treatment variant serves nothing yet
        SageMakerClient sageMaker = MotoEndpoints.client(moto);
        String endpoint = "splitline-target-local-" + ProcessHandle.current().pid();
        MotoEndpoints.create(sageMaker, endpoint);
        LocalOptions options = LocalOptions.parse("--port", "0", "--admin-key", "admin-key-for-tests",
                "--step-interval", "PT0.3S", "--aws-endpoint", moto.endpoint().toString());

        try (LocalStack stack = LocalStack.start(options)) {
            // when a one-stage rollout of it starts
            ApiClient admin = new ApiClient(stack.baseUri(), "admin-key-for-tests");
            admin.post("/rollouts", """
                    {"key": "gbm-ranker", "stages": [{"percent": 100, "bake": "PT0S"}],
                     "target": {"type": "sagemaker-variants", "endpointName": "%s", "controlVariant": "rf", "treatmentVariant": "gbm"}}"""
                    .formatted(endpoint)).expect(201);
            admin.post("/rollouts/gbm-ranker/start", null).expect(200);
            JsonNode done = LocalStackCloudWatchTest.awaitFinal(admin, "gbm-ranker");

            // then it completed and the treatment variant has all the weight
            assertEquals("completed", done.get("status").asText(), done.toString());
            assertEquals("sagemaker-variants", done.at("/target/type").asText(), done.toString());
            for (ProductionVariantSummary v : sageMaker.describeEndpoint(b -> b.endpointName(endpoint)).productionVariants()) {
                assertEquals(v.variantName().equals("gbm") ? 1.0f : 0.0f, v.currentWeight(), 1e-6f, v.toString());
            }
        }
    }
}
