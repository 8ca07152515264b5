package io.splitline.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.json.Json;
import io.splitline.stats.CovariateSums;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How experiments' and holdouts' results read their stored arms. */
class StoredArmsTest {
    private static final ExperimentSpec SPEC = ExperimentJson.parseSpec(Json.parse(("""
            {'key': 'k', 'variants': [{'key': 'control', 'weight': 0.5}, {'key': 'green', 'weight': 0.5}],
             'metrics': [{'key': 'buy', 'type': 'conversion'}, {'key': 'revenue', 'type': 'mean'},
                         {'key': 'rps', 'type': 'ratio', 'numerator': 'revenue', 'denominator': 'sessions'}]}""")
            .replace('\'', '"')));
    private static final CovariateSums SUMS = new CovariateSums(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.TEN);

    @Test
    void armsFollowTheDefinition_onlyMeanMetricsKeepCovariates_andRatiosWithoutAPartGetAZeroProduct() {
        VariantAggregates green = new VariantAggregates("green", 10,
                Map.of("buy", new MetricAggregate(4, BigDecimal.valueOf(4), BigDecimal.valueOf(4)),
                        "revenue", new MetricAggregate(4, BigDecimal.valueOf(40), BigDecimal.valueOf(900))),
                Map.of("buy", SUMS, "revenue", SUMS), Map.of());

        List<VariantAggregates> arms = StoredArms.of(SPEC, Map.of("green", green, "retired", VariantAggregates.empty("retired")));

        assertEquals(List.of("control", "green"), arms.stream().map(VariantAggregates::variant).toList());
        assertEquals(VariantAggregates.empty("control").units(), arms.get(0).units());
        assertEquals(Map.of("revenue", SUMS), arms.get(1).covariates(), "a conversion's stored Σxy is not its Σxy");
        assertEquals(Map.of("rps", BigDecimal.ZERO), arms.get(1).ratioProducts(), "no sessions: every unit's product is 0");
    }
}
