package io.splitline.assignment;

import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Namespace;
import io.splitline.experiment.Variant;
import io.splitline.targeting.Condition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The assignment decision for one experiment definition, precomputed once (bucket ranges, hash seed
 * state, every possible answer) so that {@link #assign} does no allocation beyond what targeting needs.
 * Immutable and thread-safe; build a new one when the definition changes.
 *
 * <p>Checks, in order (the first that applies decides):
 * <ol>
 *   <li>not running → {@code not_running} (even for an overridden unit);</li>
 *   <li>an override for the unit → that variant, {@code override};</li>
 *   <li>targeting does not match → {@code not_targeted};</li>
 *   <li>namespace position ({@link Bucketing#inNamespace}) outside the range → {@code not_in_namespace};</li>
 *   <li>{@code v2(experimentKey, unitId)} in no variant range → {@code not_covered};</li>
 *   <li>else the variant whose range holds the hash, {@code hashed}.</li>
 * </ol>
 * The experiment key is the seed, so assignments of different experiments are independent.
 */
public final class ExperimentAssigner {
    private final Experiment experiment;
    private final boolean running;
    private final int seedState;
    private final BucketRange[] ranges;
    private final Condition targeting;
    private final String namespaceSeed;
    private final double namespaceStart;
    private final double namespaceEnd;
    private final Map<String, Assignment> overrides;
    private final Assignment[] hashed;
    private final Assignment notRunning;
    private final Assignment notCovered;
    private final Assignment notTargeted;
    private final Assignment notInNamespace;

    private ExperimentAssigner(Experiment experiment) {
        ExperimentSpec spec = experiment.spec();
        this.experiment = experiment;
        this.running = experiment.isRunning();
        this.seedState = UnitHash.seedState(spec.key());
        this.ranges = ranges(spec).toArray(new BucketRange[0]);
        this.targeting = spec.targeting();
        Namespace ns = spec.namespace();
        this.namespaceSeed = ns == null ? null : Bucketing.namespaceSeed(ns.name());
        this.namespaceStart = ns == null ? 0 : ns.start();
        this.namespaceEnd = ns == null ? 1 : ns.end();

        List<Variant> variants = spec.variants();
        this.hashed = new Assignment[variants.size()];
        Map<String, Assignment> forced = new HashMap<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            hashed[i] = new Assignment(v.key(), true, AssignmentReason.HASHED, v.config());
            forced.put(v.key(), new Assignment(v.key(), true, AssignmentReason.OVERRIDE, v.config()));
        }
        Map<String, Assignment> byUnit = new HashMap<>();
        spec.overrides().forEach((unitId, variantKey) -> byUnit.put(unitId, forced.get(variantKey)));
        this.overrides = Map.copyOf(byUnit);

        String control = spec.control();
        this.notRunning = new Assignment(control, false, AssignmentReason.NOT_RUNNING, null);
        this.notCovered = new Assignment(control, false, AssignmentReason.NOT_COVERED, null);
        this.notTargeted = new Assignment(control, false, AssignmentReason.NOT_TARGETED, null);
        this.notInNamespace = new Assignment(control, false, AssignmentReason.NOT_IN_NAMESPACE, null);
    }

    public static ExperimentAssigner of(Experiment experiment) {
        return new ExperimentAssigner(experiment);
    }

    /** The bucket ranges of a definition, one per variant in definition order. */
    public static List<BucketRange> ranges(ExperimentSpec spec) {
        double[] weights = new double[spec.variants().size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = spec.variants().get(i).weight();
        }
        return Bucketing.ranges(weights.length, spec.coverage(), weights);
    }

    public Experiment experiment() {
        return experiment;
    }

    public String key() {
        return experiment.key();
    }

    /** The unit's hash in this experiment, {@code v2(experimentKey, unitId)}. */
    public double bucket(String unitId) {
        return UnitHash.v2(seedState, unitId);
    }

    /**
     * The variant of a unit whose exposure the app reports through {@code /events} (it assigned
     * client-side): the same decision as {@link #assign} minus targeting, since an event carries no
     * attributes and the app has already judged the unit eligible. Empty when the unit is outside the
     * namespace or not covered.
     */
    public Optional<String> exposedVariant(String unitId) {
        Assignment forced = overrides.get(unitId);
        if (forced != null) {
            return Optional.of(forced.variant());
        }
        if (namespaceSeed != null
                && !Bucketing.inNamespaceSeeded(unitId, namespaceSeed, namespaceStart, namespaceEnd)) {
            return Optional.empty();
        }
        int variant = Bucketing.chooseVariation(UnitHash.v2(seedState, unitId), ranges);
        return variant < 0 ? Optional.empty() : Optional.of(hashed[variant].variant());
    }

    /**
     * Decides the unit's variant.
     *
     * @param unitId     a valid unit id
     * @param attributes request attributes (String, Double or Boolean values); null means none
     */
    public Assignment assign(String unitId, Map<String, Object> attributes) {
        if (!running) {
            return notRunning;
        }
        if (!overrides.isEmpty()) {
            Assignment forced = overrides.get(unitId);
            if (forced != null) {
                return forced;
            }
        }
        if (targeting != null && !targeting.matches(attributes == null ? Map.of() : attributes)) {
            return notTargeted;
        }
        if (namespaceSeed != null
                && !Bucketing.inNamespaceSeeded(unitId, namespaceSeed, namespaceStart, namespaceEnd)) {
            return notInNamespace;
        }
        int variant = Bucketing.chooseVariation(UnitHash.v2(seedState, unitId), ranges);
        return variant < 0 ? notCovered : hashed[variant];
    }
}
