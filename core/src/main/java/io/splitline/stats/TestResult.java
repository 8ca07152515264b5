package io.splitline.stats;

/**
 * The outcome of a two-sided hypothesis test. When the test is not defined for the data (no units, no
 * variation at all), it is reported as "no evidence": statistic 0, p-value 1, and {@code defined}
 * false with the reason in {@code note}, never NaN.
 *
 * @param statistic        the test statistic (z, t or χ²)
 * @param degreesOfFreedom degrees of freedom of the reference distribution, null for the normal
 * @param pValue           two-sided p-value in [0, 1]
 * @param defined          false when the data cannot support the test
 * @param note             why the test is undefined, or null
 */
public record TestResult(double statistic, Double degreesOfFreedom, double pValue, boolean defined, String note) {

    static TestResult undefined(String note) {
        return new TestResult(0.0, null, 1.0, false, note);
    }
}
