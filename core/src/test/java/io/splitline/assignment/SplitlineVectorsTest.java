package io.splitline.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.json.Json;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Splitline's golden vectors (docs/hashing.md prints them): experiment key and unit id → hash and variant,
 * namespace positions and rollout decisions. Computed independently by GrowthBook's JavaScript.
 */
class SplitlineVectorsTest {
    private static final JsonNode VECTORS = GrowthBookCasesTest.resource("/assignment/splitline-vectors.json");

    @TestFactory
    Stream<DynamicTest> experiments() {
        return GrowthBookCasesTest.stream(VECTORS.get("experiments")).map(v -> dynamicTest(
                v.get("key").textValue() + " / " + v.get("unitId").textValue() + " @ coverage " + v.get("coverage").doubleValue(),
                () -> {
                    String key = v.get("key").textValue();
                    String unitId = v.get("unitId").textValue();
                    ObjectNode spec = Json.object().put("key", key);
                    ArrayNode variants = spec.putArray("variants");
                    for (int i = 0; i < v.get("variants").size(); i++) {
                        variants.addObject().put("key", v.get("variants").get(i).textValue())
                                .put("weight", v.get("weights").get(i).doubleValue());
                    }
                    spec.put("coverage", v.get("coverage").doubleValue());
                    ExperimentAssigner assigner = ExperimentAssigner.of(TestExperiments.of(spec, ExperimentStatus.RUNNING));

                    assertEquals(v.get("inner").longValue(), UnitHash.fnv1a32(key + unitId), "inner fnv1a32(key + unitId)");
                    assertEquals(v.get("hash").doubleValue(), assigner.bucket(unitId), 0.0, "hash");
                    Assignment a = assigner.assign(unitId, Map.of());
                    if (v.get("variant").isNull()) {
                        assertEquals(AssignmentReason.NOT_COVERED, a.reason());
                        assertEquals("control", a.variant());
                    } else {
                        assertEquals(AssignmentReason.HASHED, a.reason());
                        assertEquals(v.get("variant").textValue(), a.variant());
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> namespaces() {
        return GrowthBookCasesTest.stream(VECTORS.get("namespaces")).map(v -> dynamicTest(
                v.get("namespace").textValue() + " / " + v.get("unitId").textValue(), () -> {
                    String name = v.get("namespace").textValue();
                    String unitId = v.get("unitId").textValue();
                    double position = v.get("position").doubleValue();
                    assertEquals(v.get("fnv").longValue(), UnitHash.fnv1a32(unitId + "__" + name), "fnv1a32(unitId + \"__\" + name)");
                    assertEquals(position, UnitHash.v1(Bucketing.namespaceSeed(name), unitId), 0.0);
                    // exactly on the boundary: [position, …) holds the unit, […, position) does not
                    assertEquals(true, Bucketing.inNamespace(unitId, name, position, 1.0));
                    assertEquals(false, Bucketing.inNamespace(unitId, name, 0.0, position));
                }));
    }

    @TestFactory
    Stream<DynamicTest> rollouts() {
        return GrowthBookCasesTest.stream(VECTORS.get("rollouts")).map(v -> dynamicTest(
                v.get("key").textValue() + " / " + v.get("unitId").textValue() + " @ " + v.get("percent").doubleValue() + "%", () -> {
                    String key = v.get("key").textValue();
                    String unitId = v.get("unitId").textValue();
                    assertEquals(v.get("hash").doubleValue(), UnitHash.v2(key, unitId), 0.0);
                    assertEquals(v.get("treatment").booleanValue(), Bucketing.inRollout(key, unitId, v.get("percent").doubleValue()));
                }));
    }
}
