package io.splitline.rollout.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splitline.rollout.traffic.aws.SageMakerVariantsControl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DesiredWeightAndCapacity;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.UpdateEndpointWeightsAndCapacitiesRequest;
import software.amazon.awssdk.services.sagemaker.model.UpdateEndpointWeightsAndCapacitiesResponse;

/**
 * The SageMaker adapter against a client fake with SageMaker's rules that moto does not enforce: an update
 * only while {@code InService}, non-negative weights, and it leaves the endpoint {@code Updating}.
 */
class SageMakerVariantsControlTest {
    private static final SageMakerVariantsTarget TARGET = new SageMakerVariantsTarget("ranker", "rf", "gbm");

    /** An endpoint as SageMaker keeps it. */
    static final class StrictSageMaker implements SageMakerClient {
        EndpointStatus status = EndpointStatus.IN_SERVICE;
        final Map<String, Float> weights = new LinkedHashMap<>(Map.of("rf", 3f, "gbm", 0f));
        final Map<String, Integer> instances = new LinkedHashMap<>(Map.of("rf", 4, "gbm", 2));
        final List<UpdateEndpointWeightsAndCapacitiesRequest> updates = new ArrayList<>();
        boolean throttle;

        @Override
        public DescribeEndpointResponse describeEndpoint(DescribeEndpointRequest request) {
            List<ProductionVariantSummary> variants = new ArrayList<>();
            weights.forEach((name, w) -> variants.add(ProductionVariantSummary.builder().variantName(name).currentWeight(w)
                    .currentInstanceCount(instances.get(name)).desiredInstanceCount(instances.get(name)).build()));
            return DescribeEndpointResponse.builder().endpointName(request.endpointName()).endpointStatus(status)
                    .productionVariants(variants).build();
        }

        @Override
        public UpdateEndpointWeightsAndCapacitiesResponse updateEndpointWeightsAndCapacities(UpdateEndpointWeightsAndCapacitiesRequest request) {
            updates.add(request);
            if (throttle) {
                throw (SageMakerException) SageMakerException.builder().message("Rate exceeded")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
            }
            if (status != EndpointStatus.IN_SERVICE) {
                throw (SageMakerException) SageMakerException.builder().message("Cannot update in-progress endpoint")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build()).build();
            }
            for (DesiredWeightAndCapacity d : request.desiredWeightsAndCapacities()) {
                if (d.desiredWeight() < 0) {
                    throw new IllegalStateException("SageMaker refuses a negative weight");
                }
                weights.put(d.variantName(), d.desiredWeight());
                instances.put(d.variantName(), d.desiredInstanceCount());
            }
            status = EndpointStatus.UPDATING;
            return UpdateEndpointWeightsAndCapacitiesResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "sagemaker";
        }

        @Override
        public void close() {
        }
    }

    private final StrictSageMaker sageMaker = new StrictSageMaker();
    private final SageMakerVariantsControl control = new SageMakerVariantsControl(sageMaker);

    @Test
    void shift_sendsWeightAndUnchangedCountForBothVariants() {
        TrafficReading reading = control.read(TARGET);
        assertEquals(Map.of("rf", 1.0, "gbm", 0.0), reading.shares());

        control.shift(TARGET, reading, 0.25);

        List<DesiredWeightAndCapacity> sent = sageMaker.updates.get(0).desiredWeightsAndCapacities();
        assertEquals(List.of("rf", "gbm"), sent.stream().map(DesiredWeightAndCapacity::variantName).toList());
        assertEquals(List.of(0.75f, 0.25f), sent.stream().map(DesiredWeightAndCapacity::desiredWeight).toList());
        assertEquals(List.of(4, 2), sent.stream().map(DesiredWeightAndCapacity::desiredInstanceCount).toList());
    }

    @Test
    void anEndpointNotInService_isNotUpdated_andHoldsTheTreatment() {
        control.shift(TARGET, control.read(TARGET), 0.25);
        TrafficReading updating = control.read(TARGET);

        assertEquals(List.of("endpoint ranker is Updating, not InService"), updating.notReady());
        assertThrows(TargetRetryException.class, () -> control.shift(TARGET, updating, 0.5));
        assertEquals(1, sageMaker.updates.size(), "no call while Updating");
    }

    @Test
    void throttling_isLeftToTheNextStep_andInvalidSharesNeverCall() {
        sageMaker.throttle = true;
        TrafficReading reading = control.read(TARGET);
        assertThrows(TargetRetryException.class, () -> control.shift(TARGET, reading, 0.25));
        sageMaker.throttle = false;
        for (double share : new double[]{-0.5, 2.0, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> control.shift(TARGET, reading, share), "share " + share);
        }
        assertEquals(1, sageMaker.updates.size());
    }
}
