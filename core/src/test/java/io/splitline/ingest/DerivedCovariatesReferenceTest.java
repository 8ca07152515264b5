package io.splitline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.json.Json;
import io.splitline.stats.CovariateMoments;
import io.splitline.stats.CupedEstimate;
import io.splitline.stats.EffectTest;
import io.splitline.stats.Interval;
import io.splitline.stats.MeanSample;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Derived covariates through the stream fold against numpy: {@code ingest/derived_covariates_reference.py} draws
 * 1 000 units whose pre-exposure total x and in-experiment total y have correlation ρ = 0.7, splits them into keyless
 * events (plus events just outside the lookback window that must not count), and computes each arm's n, Σx, Σx², Σy,
 * Σy², Σxy exactly (integer cents). The fold's stored sums must equal them exactly, and CUPED on those sums must
 * narrow the interval by ≈ √(1 − ρ²) (the criterion of {@code CupedSimulationTest}, which also checks A/A error rates
 * on the same sums).
 */
class DerivedCovariatesReferenceTest {
    private static final BigDecimal CENTS_SQUARED = new BigDecimal("10000");

    @Test
    void theFoldsStoredSums_equalNumpys_andCupedNarrowsTheIntervalBySqrtOneMinusRhoSquared() throws IOException {
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("/ingest/derived_covariates_reference.json")) {
            reference = Json.parseTrusted(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String metric = reference.get("metric").textValue();
        Map<String, String> arms = new HashMap<>();
        List<StreamRecord> records = new ArrayList<>();
        BigInteger sequence = StreamAggregatorTest.FIRST_SEQUENCE;
        int id = 0;
        for (JsonNode unit : reference.get("units")) {
            String unitId = unit.get("unit").textValue();
            arms.put(unitId, unit.get("arm").textValue());
            Instant exposedAt = Instant.parse(unit.get("exposedAt").textValue());
            boolean exposed = false;
            for (JsonNode e : unit.get("events")) {
                Instant at = Instant.parse(e.get("at").textValue());
                if (!exposed && !at.isBefore(exposedAt)) {
                    sequence = sequence.add(BigInteger.ONE);
                    records.add(new StreamRecord(sequence, StreamAggregatorTest.exposure("x" + id++, "ref", unitId, exposedAt, Map.of())));
                    exposed = true;
                }
                sequence = sequence.add(BigInteger.ONE);
                records.add(new StreamRecord(sequence, StreamAggregatorTest.metric("e" + id++, null, unitId, metric,
                        new BigDecimal(e.get("value").textValue()), at)));
            }
        }
        IngestTarget target = new IngestTarget("ref", IngestTarget.EXPERIMENT_SCOPE, true,
                unit -> Optional.ofNullable(arms.get(unit)), Set.of());
        IngestTargets targets = new IngestTargets() {
            @Override
            public Optional<IngestTarget> find(String key) {
                return Optional.of(target);
            }

            @Override
            public List<IngestTarget> active() {
                return List.of(target);
            }

            @Override
            public Map<String, CovariateLookback> lookbacks() {
                return Map.of("ref", new CovariateLookback(reference.get("lookbackDays").intValue(), Set.of(metric)));
            }
        };
        InMemoryStreamFoldStore store = new InMemoryStreamFoldStore();
        StreamAggregator aggregator = new StreamAggregator(store, new InMemoryUnitHistoryStore(), targets);
        for (int from = 0; from < records.size(); from += 250) {
            aggregator.apply(StreamAggregatorTest.SHARDS.get(0), records.subList(from, Math.min(records.size(), from + 250)));
        }

        Map<String, AggregateDelta> stored = StreamAggregatorTest.summed(store);
        Map<String, CovariateMoments> moments = new HashMap<>();
        for (String arm : List.of("control", "treatment")) {
            JsonNode want = reference.get("arms").get(arm);
            AggregateDelta got = stored.get("ref/" + arm + "#" + metric);
            assertEquals(want.get("n").longValue(), stored.get("ref/" + arm).units(), arm + " n");
            assertExact(new BigDecimal(want.get("sumX").textValue()), got.covariateSum(), arm + " Σx");
            assertExact(new BigDecimal(want.get("sumXSquares").textValue()).divide(CENTS_SQUARED), got.covariateSquares(), arm + " Σx²");
            assertExact(new BigDecimal(want.get("sumY").textValue()), got.sum(), arm + " Σy");
            assertExact(new BigDecimal(want.get("sumYSquares").textValue()).divide(CENTS_SQUARED), got.sumSquares(), arm + " Σy²");
            assertExact(new BigDecimal(want.get("sumXY").textValue()).divide(CENTS_SQUARED), got.crossProducts(), arm + " Σxy");
            moments.put(arm, new CovariateMoments(want.get("n").longValue(), got.sum(), got.sumSquares(), got.covariateSum(),
                    got.covariateSquares(), got.crossProducts()));
        }

        CovariateMoments c = moments.get("control");
        CovariateMoments t = moments.get("treatment");
        CupedEstimate cuped = CupedEstimate.of(c, t);
        double raw = width(EffectTest.absolute(MeanSample.fromSums(c.units(), c.sumY(), c.sumYSquares()),
                MeanSample.fromSums(t.units(), t.sumY(), t.sumYSquares())).interval(0.05));
        double adjusted = width(EffectTest.absolute(cuped.adjustedControl(), cuped.adjustedTreatment()).interval(0.05));
        double rho = reference.get("rho").doubleValue();
        // one experiment of 1 000 units: the sample correlation is within ~0.02 of ρ, so the ratio within ~0.03
        assertEquals(Math.sqrt(1 - rho * rho), adjusted / raw, 0.03, "CUPED's interval width over the raw one");
    }

    private static void assertExact(BigDecimal want, BigDecimal got, String what) {
        assertEquals(0, want.compareTo(got), what + ": numpy " + want + ", fold " + got);
    }

    private static double width(Interval i) {
        return i.upper() - i.lower();
    }
}
