package io.splitline.stats;

/**
 * A conversion metric in one arm: how many units converted (had a total above zero) out of how many.
 * Validated at construction, so {@code 0 <= conversions <= units}.
 *
 * @param units       exposed units
 * @param conversions units whose total for the metric is above zero
 */
public record ProportionSample(long units, long conversions) implements Sample {
    public ProportionSample {
        if (units < 0 || conversions < 0 || conversions > units) {
            throw new IllegalArgumentException("need 0 <= conversions <= units, got " + conversions + " of " + units);
        }
    }

    /** conversions / units, 0 when there are no units. */
    public double rate() {
        return units == 0 ? 0.0 : (double) conversions / units;
    }

    @Override
    public double mean() {
        return rate();
    }

    /** Bernoulli variance p(1-p) (population form, as in the z-test and the Wald standard error). */
    @Override
    public double unitVariance() {
        double p = rate();
        return p * (1 - p);
    }
}
