package io.splitline.experiment;

import io.splitline.targeting.Condition;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a user defines about an experiment: everything but its lifecycle. Instances are only made by
 * {@link ExperimentJson#parseSpec}, which enforces every rule of the API contract, so a spec in hand is
 * always valid.
 *
 * @param key               experiment key, also the hashing salt
 * @param description       free text, possibly empty
 * @param variants          2–20 arms with weights summing to 1
 * @param control           key of the control variant
 * @param coverage          share of eligible units that enter, in [0, 1]
 * @param targeting         who is eligible, or null for everyone
 * @param overrides         unit id → forced variant key (QA)
 * @param namespace         the slice of a namespace this experiment owns, or null
 * @param metrics           metrics the experiment is judged on
 * @param confidenceLevel   e.g. 0.95, in (0.5, 1)
 * @param minimumSampleSize units per variant before a recommendation can be "ship"
 * @param startAt           when the scheduled step starts the draft, or null (start by hand)
 * @param endAt             when the scheduled step completes it (running or paused), or null; after startAt
 * @param multipleTesting   how p-values are adjusted across the experiment's comparisons
 * @param expectedUnitsPerVariant the sample size per variant the always-valid (sequential) test is tuned for
 * @param holdout           key of the holdout whose units it leaves out, or null
 * @param dimensions        up to {@link DimensionsJson#MAX} attribute names whose value at a unit's first exposure
 *                          puts it in a segment (exploratory segment results); empty for none
 * @param lookbackDays      whole UTC days before a unit's exposure day whose keyless events give its derived CUPED covariates
 * @param aggregateShards   how many aggregate partitions ingest spreads the experiment's sums over, so how many
 *                          queries a results call makes ({@link ExperimentLimits#AGGREGATE_SHARD_COUNTS})
 */
public record ExperimentSpec(String key, String description, List<Variant> variants, String control,
                             double coverage, Condition targeting, Map<String, String> overrides,
                             Namespace namespace, List<Metric> metrics, double confidenceLevel,
                             int minimumSampleSize, Instant startAt, Instant endAt,
                             MultipleTestingCorrection multipleTesting, long expectedUnitsPerVariant,
                             String holdout, List<String> dimensions, int lookbackDays,
                             int aggregateShards) {

    public ExperimentSpec {
        variants = List.copyOf(variants);
        // Insertion order is kept (Map.copyOf's order changes from JVM to JVM): the API form stays stable.
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        metrics = List.copyOf(metrics);
        dimensions = List.copyOf(dimensions);
    }

    public Optional<Variant> variant(String variantKey) {
        return variants.stream().filter(v -> v.key().equals(variantKey)).findFirst();
    }

    public Variant controlVariant() {
        return variant(control).orElseThrow();
    }

    public Optional<Metric> metric(String metricKey) {
        return metrics.stream().filter(m -> m.key().equals(metricKey)).findFirst();
    }
}
