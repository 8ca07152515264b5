package io.splitline.stats;

import java.util.List;

/**
 * How far treatment is from control, with confidence intervals. Fields that cannot be computed from the
 * data are null and {@code notes} says why.
 *
 * @param absolute   treatment − control (rate or mean), or null when an arm has no units
 * @param absoluteCi interval for {@code absolute}, or null
 * @param relative   treatment / control − 1, or null when control is 0
 * @param relativeCi delta-method interval for {@code relative}, or null
 * @param notes      reasons for the nulls, empty when everything is defined
 */
public record Lift(Double absolute, Interval absoluteCi, Double relative, Interval relativeCi, List<String> notes) {
    public Lift {
        notes = List.copyOf(notes);
    }
}
