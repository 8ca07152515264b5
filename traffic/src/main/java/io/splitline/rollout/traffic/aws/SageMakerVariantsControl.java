package io.splitline.rollout.traffic.aws;

import io.splitline.rollout.traffic.RolloutTarget;
import io.splitline.rollout.traffic.SageMakerVariantsTarget;
import io.splitline.rollout.traffic.TargetRetryException;
import io.splitline.rollout.traffic.TrafficControl;
import io.splitline.rollout.traffic.TrafficReading;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DesiredWeightAndCapacity;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;

/**
 * Drives a {@link SageMakerVariantsTarget}: {@code DescribeEndpoint} gives the variants' current weights
 * (shares are weight / total) and instance counts, and {@code UpdateEndpointWeightsAndCapacities} is
 * called only while the endpoint is {@code InService} (SageMaker refuses it otherwise), with the weight AND
 * the current instance count of both variants, so that a weight change never changes capacity. An
 * endpoint has no revision token: an update racing another owner's is caught by the drift check of the
 * next step, which finds a split this rollout never set.
 */
public final class SageMakerVariantsControl implements TrafficControl {
    private static final List<String> RETRYABLE = List.of("ThrottlingException", "ThrottledException");

    private final SageMakerClient sageMaker;

    public SageMakerVariantsControl(SageMakerClient sageMaker) {
        this.sageMaker = sageMaker;
    }

    @Override
    public boolean handles(RolloutTarget target) {
        return target instanceof SageMakerVariantsTarget;
    }

    @Override
    public TrafficReading read(RolloutTarget target) {
        SageMakerVariantsTarget t = (SageMakerVariantsTarget) target;
        DescribeEndpointResponse endpoint;
        try {
            endpoint = sageMaker.describeEndpoint(b -> b.endpointName(t.endpointName()));
        } catch (AwsServiceException e) {
            throw retryable(e) ? new TargetRetryException("SageMaker throttled the read of " + t.describe(), e) : e;
        }
        Map<String, Double> weights = new HashMap<>();
        Map<String, Integer> instances = new HashMap<>();
        for (ProductionVariantSummary v : endpoint.productionVariants()) {
            weights.put(v.variantName(), v.currentWeight() == null ? 0.0 : v.currentWeight().doubleValue());
            Integer count = v.desiredInstanceCount() != null ? v.desiredInstanceCount() : v.currentInstanceCount();
            if (count != null) {
                instances.put(v.variantName(), count);
            }
        }
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> shares = new HashMap<>();
        weights.forEach((name, w) -> shares.put(name, total > 0 ? w / total : 0.0));
        boolean inService = endpoint.endpointStatus() == EndpointStatus.IN_SERVICE;
        List<String> notReady = inService ? List.of()
                : List.of(t.describe() + " is " + endpoint.endpointStatusAsString() + ", not InService");
        return new TrafficReading(shares, endpoint.endpointStatusAsString(), inService, null, instances, notReady,
                TrafficReading.MINIMUM_LAG);
    }

    @Override
    public void shift(RolloutTarget target, TrafficReading reading, double treatmentShare) {
        SageMakerVariantsTarget t = (SageMakerVariantsTarget) target;
        Weights.requireShare(treatmentShare);
        if (!reading.updatable()) {
            throw new TargetRetryException(t.describe() + " is " + reading.status() + ", not InService", null);
        }
        List<DesiredWeightAndCapacity> desired = List.of(
                variant(t.controlVariant(), 1.0 - treatmentShare, reading),
                variant(t.treatmentVariant(), treatmentShare, reading));
        try {
            sageMaker.updateEndpointWeightsAndCapacities(b -> b.endpointName(t.endpointName())
                    .desiredWeightsAndCapacities(desired));
        } catch (AwsServiceException e) {
            throw retryable(e) ? new TargetRetryException("SageMaker throttled the update of " + t.describe(), e) : e;
        }
    }

    private static DesiredWeightAndCapacity variant(String name, double weight, TrafficReading reading) {
        return DesiredWeightAndCapacity.builder().variantName(name).desiredWeight((float) weight)
                .desiredInstanceCount(reading.instances().get(name)).build();
    }

    private static boolean retryable(AwsServiceException e) {
        return e.awsErrorDetails() != null && RETRYABLE.contains(e.awsErrorDetails().errorCode());
    }
}
