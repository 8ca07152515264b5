package io.splitline.results;

import static io.splitline.results.Fixtures.conversions;
import static io.splitline.results.Fixtures.sums;
import static io.splitline.results.Fixtures.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splitline.aggregate.VariantAggregates;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The segments' JSON text reused for the same memoised segment results: the body is the one written without it, byte for byte. */
class SegmentsJsonTest {
    private static final ExperimentSpec SPEC = Fixtures.checkout(0.05, 100);
    private static final Instant T1 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-20T10:00:05Z");
    private static final Instant T3 = Instant.parse("2026-11-20T10:01:10Z");

    private static List<VariantAggregates> data(long greenPurchases) {
        return List.of(
                variant("control", 1000, "purchase", conversions(52), "revenue", sums(52, "2480.5", "151200.25"), "error", conversions(9)),
                variant("green", 1010, "purchase", conversions(greenPurchases), "revenue", sums(61, "2990", "170011"), "error", conversions(7)));
    }

    /** A roll-up: two countries and an Unicode value, the second country's green purchases given. */
    private static List<SegmentAggregates> rollup(long frGreenPurchases) {
        return List.of(new SegmentAggregates("country", "DE", data(30)),
                new SegmentAggregates("country", "FR", data(frGreenPurchases)),
                new SegmentAggregates("city", "Zürich \"Nord\" 東京", data(44)));
    }

    /** The body as written with the cache, checked against the body written from the tree. */
    private static String written(ExperimentResults r, SegmentsJson cache) {
        String plain = Json.write(ResultsJson.toJson(r));
        String spliced = Json.write(ResultsJson.toJson(r, cache));
        assertEquals(plain, spliced, "byte for byte the body written without the cache");
        assertEquals(Json.parseTrusted(plain), Json.parseTrusted(spliced));
        return spliced;
    }

    @Test
    void aRepeatedCall_reusesTheText_andWritesTheSameBody() {
        ResultsMemo memo = new ResultsMemo();
        SegmentsJson cache = new SegmentsJson();
        ExperimentResults first = memo.compute(SPEC, ExperimentStatus.RUNNING, data(61), rollup(20), T1, T1);
        // new events since: the whole experiment's figures change, the roll-up (and so the segments) do not
        ExperimentResults again = memo.compute(SPEC, ExperimentStatus.RUNNING, data(62), rollup(20), T1, T2);

        String firstBody = written(first, cache);
        String againBody = written(again, cache);

        assertSame(cache.of(SPEC.key(), first.segments()), cache.of(SPEC.key(), again.segments()), "the second call reuses the text");
        assertNotEquals(firstBody, againBody, "the whole experiment's part is written anew");
        assertEquals(Json.parseTrusted(firstBody).get("segments"), Json.parseTrusted(againBody).get("segments"));
    }

    @Test
    void aNewRollup_writesTheNewSegments() {
        ResultsMemo memo = new ResultsMemo();
        SegmentsJson cache = new SegmentsJson();
        String before = written(memo.compute(SPEC, ExperimentStatus.RUNNING, data(61), rollup(20), T1, T1), cache);

        // the next roll-up: one segment's sums changed, the whole experiment's not
        ExperimentResults after = memo.compute(SPEC, ExperimentStatus.RUNNING, data(61), rollup(25), T3, T3);
        String afterBody = written(after, cache);

        assertNotEquals(Json.parseTrusted(before).get("segments"), Json.parseTrusted(afterBody).get("segments"));
        assertEquals(25, Json.parseTrusted(afterBody).get("segments").get(1).get("variants").get(1).get("metrics")
                .get("purchase").get("conversions").asLong());
    }

    @Test
    void equalButRecomputedSegments_areWrittenAgain_withTheSameText() {
        SegmentsJson cache = new SegmentsJson();
        ExperimentResults one = new ResultsMemo().compute(SPEC, ExperimentStatus.RUNNING, data(61), rollup(20), T1, T1);
        ExperimentResults other = new ResultsMemo().compute(SPEC, ExperimentStatus.RUNNING, data(61), rollup(20), T1, T1);

        assertEquals(written(one, cache), written(other, cache));
        assertNotSame(cache.of(SPEC.key(), one.segments()), cache.of(SPEC.key(), other.segments()),
                "reused only for the same objects, not for equal ones");
    }

    @Test
    void remembersOnlyTheExperimentsWrittenLast() {
        SegmentsJson cache = new SegmentsJson();
        ExperimentResults first = ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, data(61), rollup(20), T1);
        var text = cache.of(SPEC.key(), first.segments());
        for (int i = 0; i < SegmentsJson.CAPACITY; i++) {
            cache.of("other-" + i, first.segments());
        }
        assertEquals(SegmentsJson.CAPACITY, cache.size());
        assertNotSame(text, cache.of(SPEC.key(), first.segments()), "dropped after CAPACITY other experiments");
        assertEquals(SegmentsJson.CAPACITY, cache.size());
    }

    @Test
    void holdsNoMoreTextThanItsBudget_andNoneOverItsLimit() {
        ExperimentResults r = ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, data(61), rollup(20), T1);
        int chars = Json.write(ResultsJson.segments(r.segments())).length();
        SegmentsJson cache = new SegmentsJson(2L * chars + chars / 2, chars);
        var a = cache.of("a", r.segments());
        cache.of("b", r.segments());
        assertEquals(2L * chars, cache.held());
        assertSame(a, cache.of("a", r.segments()), "a is now the most recently used");
        cache.of("c", r.segments());
        assertEquals(2, cache.size(), "a third text would pass the budget: the least recently used, b, is dropped");
        assertEquals(2L * chars, cache.held());
        assertSame(a, cache.of("a", r.segments()));

        SegmentsJson small = new SegmentsJson(10L * chars, chars - 1);
        var once = small.of("a", r.segments());
        assertEquals(0, small.size(), "a text over the limit is not kept");
        assertEquals(0, small.held());
        assertNotSame(once, small.of("a", r.segments()));
    }

    @Test
    void theSrmCountsCannotBeChangedUnderTheText() {
        ExperimentResults r = ResultsCalculator.compute(SPEC, ExperimentStatus.RUNNING, data(61), rollup(20), T1);
        assertThrows(UnsupportedOperationException.class, () -> r.segments().get(0).srm().observed().put("control", 1L));
        assertEquals(List.of("control", "green"), List.copyOf(r.segments().get(0).srm().expected().keySet()), "in definition order");
    }
}
