package io.splitline.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.stats.MetricAggregate;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A variant where a ratio's numerator or denominator has no events has Σab = 0, which no stored item can
 * carry; one where both have events but no Σab was stored keeps no entry (its tests stay undefined).
 */
class RatioProductsTest {
    private static final ExperimentSpec SPEC = Fixtures.spec("{'key': 'rps', 'variants': [{'key': 'control', 'weight': 0.5},"
            + " {'key': 'green', 'weight': 0.5}], 'metrics': [{'key': 'per-session', 'type': 'ratio', 'numerator': 'revenue',"
            + " 'denominator': 'session'}]}");
    private static final MetricAggregate SOME = new MetricAggregate(3, new BigDecimal("12"), new BigDecimal("60"));

    @Test
    void aMissingPart_meansAZeroProductSum_butAMissingSumWithBothPartsStaysMissing() {
        VariantAggregates onlySessions = new VariantAggregates("control", 5, Map.of("session", SOME));
        VariantAggregates both = new VariantAggregates("green", 5, Map.of("session", SOME, "revenue", SOME));
        VariantAggregates stored = new VariantAggregates("green", 5, Map.of("session", SOME, "revenue", SOME), Map.of(),
                Map.of("per-session", new BigDecimal("31")));

        assertEquals(Map.of("per-session", BigDecimal.ZERO), RatioProducts.complete(onlySessions, SPEC).ratioProducts());
        assertEquals(Map.of("per-session", BigDecimal.ZERO), RatioProducts.complete(VariantAggregates.empty("control"), SPEC).ratioProducts());
        assertEquals(Map.of(), RatioProducts.complete(both, SPEC).ratioProducts());
        assertEquals(stored, RatioProducts.complete(stored, SPEC));
    }
}
