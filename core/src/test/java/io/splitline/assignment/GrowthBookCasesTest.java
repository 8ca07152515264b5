package io.splitline.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** GrowthBook's own published cases (see the resource's "source"), one dynamic test per case. */
class GrowthBookCasesTest {
    private static final JsonNode CASES = resource("/assignment/growthbook-cases.json");

    static JsonNode resource(String name) {
        try (InputStream in = GrowthBookCasesTest.class.getResourceAsStream(name)) {
            return Json.parseTrusted(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> hash() {
        return stream(CASES.get("hash")).map(c -> dynamicTest(
                "hash(" + c.get(0).textValue() + ", " + c.get(1).textValue() + ", v" + c.get(2).intValue() + ")", () -> {
                    OptionalDouble actual = UnitHash.hash(c.get(0).textValue(), c.get(1).textValue(), c.get(2).intValue());
                    if (c.get(3).isNull()) {
                        assertTrue(actual.isEmpty(), "unknown hash versions have no value");
                    } else {
                        assertEquals(c.get(3).doubleValue(), actual.orElseThrow(), 0.0);
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> bucketValuesOfFeatureCases() {
        return stream(CASES.get("bucket")).map(c -> dynamicTest(
                "bucket(" + c.get(0).textValue() + ", " + c.get(1).textValue() + ", v" + c.get(2).intValue() + ")",
                () -> assertEquals(c.get(3).doubleValue(),
                        UnitHash.hash(c.get(0).textValue(), c.get(1).textValue(), c.get(2).intValue()).orElseThrow(), 0.0)));
    }

    @TestFactory
    Stream<DynamicTest> getBucketRange() {
        return stream(CASES.get("getBucketRange")).map(c -> dynamicTest("getBucketRange: " + c.get(0).textValue(), () -> {
            JsonNode args = c.get(1);
            double[] weights = args.get(2).isNull() ? null : doubles(args.get(2));
            List<BucketRange> actual = Bucketing.ranges(args.get(0).intValue(), args.get(1).doubleValue(), weights);
            List<BucketRange> expected = ranges(c.get(2));
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                // GrowthBook's own suite compares after flooring to 8 decimals.
                assertEquals(expected.get(i).start(), actual.get(i).start(), 1e-8, "start of range " + i);
                assertEquals(expected.get(i).end(), actual.get(i).end(), 1e-8, "end of range " + i);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> chooseVariation() {
        return stream(CASES.get("chooseVariation")).map(c -> dynamicTest("chooseVariation: " + c.get(0).textValue(),
                () -> assertEquals(c.get(3).intValue(), Bucketing.chooseVariation(c.get(1).doubleValue(), ranges(c.get(2))))));
    }

    @TestFactory
    Stream<DynamicTest> inNamespace() {
        return stream(CASES.get("inNamespace")).map(c -> dynamicTest("inNamespace: " + c.get(0).textValue(), () -> {
            JsonNode ns = c.get(2);
            assertEquals(c.get(3).booleanValue(), Bucketing.inNamespace(c.get(1).textValue(), ns.get(0).textValue(),
                    ns.get(1).doubleValue(), ns.get(2).doubleValue()));
        }));
    }

    /**
     * GrowthBook's {@code run} pipeline for the cases that exercise hashing only: namespace, then
     * {@code hash(seed || key, id, hashVersion || 1)}, then explicit ranges or bucket ranges, then the
     * value of the chosen variation (variation 0 when not in the experiment).
     */
    @TestFactory
    Stream<DynamicTest> run() {
        return stream(CASES.get("run")).map(c -> dynamicTest("run: " + c.get(0).textValue(), () -> {
            String id = c.get(1).get("attributes").get("id").textValue();
            JsonNode exp = c.get(2);
            int numVariations = exp.get("variations").size();
            int assigned = -1;
            JsonNode ns = exp.get("namespace");
            if (ns == null || Bucketing.inNamespace(id, ns.get(0).textValue(), ns.get(1).doubleValue(), ns.get(2).doubleValue())) {
                String seed = exp.has("seed") ? exp.get("seed").textValue() : exp.get("key").textValue();
                int version = exp.has("hashVersion") ? exp.get("hashVersion").intValue() : 1;
                double n = UnitHash.hash(seed, id, version).orElseThrow();
                List<BucketRange> ranges = exp.has("ranges") ? ranges(exp.get("ranges"))
                        : Bucketing.ranges(numVariations, exp.has("coverage") ? exp.get("coverage").doubleValue() : 1,
                                exp.has("weights") ? doubles(exp.get("weights")) : null);
                assigned = Bucketing.chooseVariation(n, ranges);
            }
            JsonNode value = exp.get("variations").get(Math.max(assigned, 0));
            assertEquals(c.get(3), value, "value");
            assertEquals(c.get(4).booleanValue(), assigned >= 0, "inExperiment");
        }));
    }

    static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list.stream();
    }

    private static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).doubleValue();
        }
        return d;
    }

    private static List<BucketRange> ranges(JsonNode array) {
        List<BucketRange> ranges = new ArrayList<>();
        array.forEach(r -> ranges.add(new BucketRange(r.get(0).doubleValue(), r.get(1).doubleValue())));
        return ranges;
    }
}
