package io.splitline.results;

import static io.splitline.results.Fixtures.conversions;
import static io.splitline.results.Fixtures.sums;
import static io.splitline.results.Fixtures.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsMemoTest {
    private static final ExperimentSpec SPEC = Fixtures.checkout(0.05, 100);
    private static final Instant T1 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-20T10:00:05Z");

    /** Small arms, so the Bayesian view takes the quadrature: the computation the memo saves. */
    private static List<VariantAggregates> data(long greenPurchases) {
        return List.of(
                variant("control", 1000, "purchase", conversions(52), "revenue", sums(52, "2480.5", "151200.25"), "error", conversions(9)),
                variant("green", 1010, "purchase", conversions(greenPurchases), "revenue", sums(61, "2990", "170011"), "error", conversions(7)));
    }

    @Test
    void equalInputsGiveTheSameResultsStampedWithTheNewTime() {
        ResultsMemo memo = new ResultsMemo();
        ExperimentResults first = memo.compute(SPEC, ExperimentStatus.RUNNING, data(61), List.of(), T1);
        ExperimentResults again = memo.compute(SPEC, ExperimentStatus.RUNNING, data(61), List.of(), T2);

        assertEquals(ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, data(61), List.of(), T1), first);
        assertEquals(ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, data(61), List.of(), T2), again);
        assertEquals(T2, again.computedAt());
        assertSame(first.comparisons(), again.comparisons(), "the second answer reuses the first computation");
    }

    @Test
    void anyChangedInputIsComputedAnew() {
        ResultsMemo memo = new ResultsMemo();
        ExperimentResults first = memo.compute(SPEC, ExperimentStatus.RUNNING, data(61), List.of(), T1);

        ExperimentResults moreEvents = memo.compute(SPEC, ExperimentStatus.RUNNING, data(62), List.of(), T2);
        assertNotSame(first.comparisons(), moreEvents.comparisons());
        assertEquals(ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, data(62), List.of(), T2), moreEvents);

        ExperimentResults paused = memo.compute(SPEC, ExperimentStatus.PAUSED, data(62), List.of(), T2);
        assertEquals(ResultsCalculator.compute(SPEC, ExperimentStatus.PAUSED, data(62), List.of(), T2), paused);
        assertEquals(ExperimentStatus.PAUSED, paused.status());

        ExperimentSpec stricter = Fixtures.checkout(0.02, 100);
        ExperimentResults redefined = memo.compute(stricter, ExperimentStatus.PAUSED, data(62), List.of(), T2);
        assertEquals(ResultsCalculator.compute(stricter, ExperimentStatus.PAUSED, data(62), List.of(), T2), redefined);

        List<SegmentAggregates> segments = List.of(new SegmentAggregates("country", "DE", data(62)));
        ExperimentResults segmented = memo.compute(stricter, ExperimentStatus.PAUSED, data(62), segments, T2);
        assertEquals(ResultsCalculator.compute(stricter, ExperimentStatus.PAUSED, data(62), segments, T2), segmented);
        assertEquals(1, segmented.segments().size());
    }

    @Test
    void remembersOnlyTheExperimentsComputedLast() {
        ResultsMemo memo = new ResultsMemo();
        ExperimentResults first = memo.compute(SPEC, ExperimentStatus.RUNNING, data(61), List.of(), T1);
        for (int i = 0; i < ResultsMemo.CAPACITY; i++) {
            ExperimentSpec other = Fixtures.spec("{'key': 'other-" + i + "', 'variants': [{'key': 'control', 'weight': 0.5},"
                    + " {'key': 'green', 'weight': 0.5}], 'metrics': [{'key': 'purchase', 'type': 'conversion',"
                    + " 'direction': 'increase', 'role': 'primary'}]}");
            memo.compute(other, ExperimentStatus.RUNNING, data(61), List.of(), T1);
        }
        ExperimentResults later = memo.compute(SPEC, ExperimentStatus.RUNNING, data(61), List.of(), T2);
        assertNotSame(first.comparisons(), later.comparisons(), "dropped after CAPACITY other experiments");
        assertEquals(ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, data(61), List.of(), T2), later);
    }
}
