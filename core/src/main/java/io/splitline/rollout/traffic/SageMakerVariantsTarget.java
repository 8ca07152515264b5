package io.splitline.rollout.traffic;

/**
 * A SageMaker real-time endpoint with two production variants whose weights the rollout sets.
 *
 * @param endpointName     endpoint name
 * @param controlVariant   variant serving control
 * @param treatmentVariant variant serving treatment
 */
public record SageMakerVariantsTarget(String endpointName, String controlVariant, String treatmentVariant)
        implements RolloutTarget {
    public static final String TYPE = "sagemaker-variants";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String control() {
        return controlVariant;
    }

    @Override
    public String treatment() {
        return treatmentVariant;
    }

    @Override
    public String describe() {
        return "endpoint " + endpointName;
    }
}
