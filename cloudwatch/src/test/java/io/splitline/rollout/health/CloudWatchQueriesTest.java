package io.splitline.rollout.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.rollout.Comparison;
import io.splitline.rollout.HealthSpec;
import io.splitline.rollout.MetricCheck;
import io.splitline.rollout.MetricQuery;
import io.splitline.rollout.RatioCheck;
import io.splitline.rollout.Statistic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

/**
 * The GetMetricData queries built for a health spec. Moto cannot evaluate percentiles, so this is where
 * the p99 request itself is pinned; the moto tests cover the rest of the round trip.
 */
class CloudWatchQueriesTest {

    @Test
    void percentileCheck_isSentAsItsStat() {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("Experiment", "new-ranker");
        dimensions.put("Variant", "treatment");
        HealthSpec spec = new HealthSpec(List.of(new MetricCheck("p99-latency", "Splitline", "latency-ms", dimensions,
                new Statistic("p99.9"), 300, Comparison.GREATER_THAN_THRESHOLD, 800)), List.of(), List.of(), 1, List.of(), 0.05, 200);

        List<MetricDataQuery> queries = CloudWatchHealthSource.queries(spec);

        assertEquals(1, queries.size());
        MetricDataQuery q = queries.get(0);
        assertEquals("m0", q.id());
        assertEquals("p99-latency", q.label());
        assertTrue(q.returnData());
        assertEquals("p99.9", q.metricStat().stat());
        assertEquals(300, q.metricStat().period());
        assertEquals("Splitline", q.metricStat().metric().namespace());
        assertEquals("latency-ms", q.metricStat().metric().metricName());
        assertEquals(List.of(Dimension.builder().name("Experiment").value("new-ranker").build(),
                Dimension.builder().name("Variant").value("treatment").build()), q.metricStat().metric().dimensions());
    }

    @Test
    void ratioCheck_isTwoReturnedQueries_numeratorThenDenominator_withTheRatiosPeriod() {
        MetricQuery errors = new MetricQuery("AWS/Lambda", "Errors", Map.of("FunctionName", "f"), new Statistic("Sum"));
        MetricQuery invocations = new MetricQuery("AWS/Lambda", "Invocations", Map.of("FunctionName", "f"), new Statistic("Sum"));
        MetricCheck throttles = new MetricCheck("throttles", "AWS/Lambda", "Throttles", Map.of(), new Statistic("Sum"), 60,
                Comparison.GREATER_THAN_THRESHOLD, 0);
        HealthSpec spec = new HealthSpec(List.of(throttles),
                List.of(new RatioCheck("error-rate", errors, invocations, 120, Comparison.GREATER_THAN_THRESHOLD, 0.05)),
                List.of(), 1, List.of(), 0.05, 200);

        List<MetricDataQuery> queries = CloudWatchHealthSource.queries(spec);

        assertEquals(List.of("m0", "n0", "d0"), queries.stream().map(MetricDataQuery::id).toList());
        assertEquals("Errors", queries.get(1).metricStat().metric().metricName());
        assertEquals("Invocations", queries.get(2).metricStat().metric().metricName());
        assertEquals(120, queries.get(1).metricStat().period());
        assertEquals(120, queries.get(2).metricStat().period());
        assertTrue(queries.get(1).returnData() && queries.get(2).returnData());
        assertEquals(List.of(), queries.get(0).metricStat().metric().dimensions());
    }
}
