package io.splitline.rollout.step;

import io.splitline.rollout.Rollout;
import io.splitline.rollout.traffic.RolloutTarget;
import io.splitline.rollout.traffic.SageMakerVariantsTarget;
import io.splitline.rollout.traffic.TrafficReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The pure rules that tie a target's split to the stored rollout. The desired split is a function of the
 * stored state alone, so duplicate or late steps converge on it; and the target is Splitline's only while
 * it is in a state Splitline could have set, so that another owner's change is noticed and never undone.
 */
public final class TrafficPlan {
    /** Weights are compared to a hundredth of a percent: SageMaker keeps them as floats. */
    static final double TOLERANCE = 1e-4;

    private TrafficPlan() {
    }

    /**
     * The treatment's share the target should have: the percent while in progress, 0 once rolled back or
     * aborted, 1 once completed (the treatment is the primary). Empty for a draft (not started) and while
     * paused: then the target is left as it is.
     */
    public static Optional<Double> desiredTreatmentShare(Rollout r) {
        return switch (r.status()) {
            case IN_PROGRESS -> Optional.of(r.percent() / 100.0);
            case ROLLED_BACK, ABORTED -> Optional.of(0.0);
            case COMPLETED -> Optional.of(1.0);
            case DRAFT, PAUSED -> Optional.empty();
        };
    }

    /**
     * Why the target is not in a state this rollout could have set, or empty when it is. Splitline's states
     * route only between the pinned control and treatment, and give the treatment 0 or the percent of a
     * stage the rollout has reached (the last write may not have landed yet, so any earlier stage counts).
     * Anything else was set by someone else: a deployment moved the alias to a new version, an operator
     * changed the weights, a variant was added or removed.
     */
    public static Optional<String> drift(Rollout r, RolloutTarget target, TrafficReading reading) {
        List<String> problems = new ArrayList<>();
        for (var e : new java.util.TreeMap<>(reading.shares()).entrySet()) {
            if (!e.getKey().equals(target.control()) && !e.getKey().equals(target.treatment()) && e.getValue() > TOLERANCE) {
                problems.add(percent(e.getValue()) + " of the traffic goes to " + e.getKey() + ", which is neither the control ("
                        + target.control() + ") nor the treatment (" + target.treatment() + ")");
            }
        }
        if (!reading.shares().containsKey(target.control()) && target instanceof SageMakerVariantsTarget) {
            problems.add("the control variant " + target.control() + " is gone");
        }
        if (!reading.shares().containsKey(target.treatment()) && target instanceof SageMakerVariantsTarget) {
            problems.add("the treatment variant " + target.treatment() + " is gone");
        }
        double treatment = reading.share(target.treatment());
        if (problems.isEmpty() && !ownShare(r, treatment)) {
            problems.add("the treatment gets " + percent(treatment) + ", a share this rollout never set (it set "
                    + ownShares(r) + ")");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** True when {@code a} and {@code b} are the same share. */
    public static boolean same(double a, double b) {
        return Math.abs(a - b) <= TOLERANCE;
    }

    private static boolean ownShare(Rollout r, double share) {
        return ownShares(r).stream().anyMatch(p -> same(p / 100.0, share));
    }

    /** 0, and the percent of every stage reached so far (100 when completed). */
    private static TreeSet<Integer> ownShares(Rollout r) {
        TreeSet<Integer> percents = new TreeSet<>();
        percents.add(0);
        for (int i = 0; i <= r.stageIndex(); i++) {
            percents.add(r.spec().stage(i).percent());
        }
        percents.add(r.percent());
        return percents;
    }

    static String percent(double share) {
        double p = share * 100;
        return (p == Math.rint(p) ? Long.toString(Math.round(p)) : String.format(java.util.Locale.ROOT, "%.2f", p)) + "%";
    }
}
