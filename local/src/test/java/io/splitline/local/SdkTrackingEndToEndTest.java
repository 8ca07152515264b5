package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.GrowthBookJs;
import io.splitline.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-app evaluation end to end: an app ({@code sdk-check/track.mjs}, Node) fetches {@code GET /sdk/payload}
 * from a started local stack, evaluates 1,000 units with GrowthBook's JavaScript SDK, sends each exposure
 * from its {@code trackingCallback} to {@code POST /events}, and metric events for every third unit.
 * {@code /results} must then count exactly the units the SDK put in each arm, and their conversions.
 */
class SdkTrackingEndToEndTest {
    static final int UNITS = 1_000;
    static final String EXPERIMENT = """
            {"key": "sdk-e2e", "coverage": 0.8,
             "variants": [{"key": "control", "weight": 0.34}, {"key": "blue", "weight": 0.33, "config": {"color": "blue"}},
                          {"key": "green", "weight": 0.33, "config": {"color": "green"}}],
             "targeting": {"any": [{"attribute": "country", "op": "in", "values": ["DE", "FR"]},
                                   {"attribute": "appVersion", "op": "semver_gte", "value": "3.1"}]},
             "overrides": {"unit-3": "green", "unit-9": "blue", "qa-\\u00e9\\ud83d\\ude00": "green"},
             "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"}]}""";

    @Test
    void exposuresFromTheTrackingCallback_areCountedExactlyInTheSdksArms(@TempDir Path dir) throws IOException {
        GrowthBookJs sdk = GrowthBookJs.install(Path.of(System.getProperty("splitline.repoRoot")));
        try (LocalStack stack = LocalStack.start(LocalOptions.parse("--port", "0", "--app-key", "e2e-app-key",
                "--admin-key", "e2e-admin-key"))) {
            ApiClient admin = new ApiClient(stack.baseUri(), "e2e-admin-key");
            admin.post("/experiments", EXPERIMENT).expect(201);
            admin.post("/experiments/sdk-e2e/start", null).expect(200);

            ObjectNode input = Json.object();
            input.put("metric", "purchase");
            ArrayNode units = input.putArray("units");
            String[] countries = {"DE", "FR", "US"};
            for (int i = 0; i < UNITS; i++) {
                ObjectNode unit = units.addObject();
                unit.put("id", i == 0 ? "qa-\u00e9\uD83D\uDE00" : (i % 2 == 0 ? "unit-" : "\u00fcnit-\uD83D\uDE80") + i);
                unit.putObject("attributes").put("country", countries[i % 3]).put("appVersion", "3." + (i % 4));
            }
            Path inputFile = dir.resolve("units.json");
            Files.writeString(inputFile, Json.write(input), StandardCharsets.UTF_8);
            Path output = dir.resolve("arms.tsv");

            JsonNode summary = Json.parseTrusted(sdk.script("track.mjs", stack.baseUri().toString().replaceAll("/$", ""),
                    "e2e-app-key", inputFile.toString(), output.toString()));

            assertEquals(List.of("sdk-e2e"), Json.MAPPER.convertValue(summary.get("features"), List.class));
            assertEquals(true, summary.get("notModified").asBoolean(), "a second GET with the ETag is a 304");
            assertEquals(0, summary.get("rejected").asInt(), summary.toString());
            assertEquals(0, summary.get("ignored").asInt(), "every exposure is in the arm the server derives: " + summary);
            Map<String, Integer> armUnits = new TreeMap<>();
            Map<String, Integer> conversions = new TreeMap<>();
            List<String> arms = Files.readAllLines(output, StandardCharsets.UTF_8);
            assertEquals(UNITS, arms.size());
            for (int i = 0; i < UNITS; i++) {
                if (!arms.get(i).equals("-")) {
                    armUnits.merge(arms.get(i), 1, Integer::sum);
                    conversions.merge(arms.get(i), i % 3 == 0 ? 1 : 0, Integer::sum);
                }
            }
            assertEquals("green", arms.get(0), "the override of a non-ASCII QA id is honoured by the SDK");
            assertEquals(summary.get("posted").asInt(), summary.get("accepted").asInt());

            JsonNode results = admin.get("/experiments/sdk-e2e/results").expect(200);
            Map<String, Integer> countedUnits = new TreeMap<>();
            Map<String, Integer> countedConversions = new TreeMap<>();
            for (JsonNode variant : results.get("variants")) {
                countedUnits.put(variant.get("key").asText(), variant.get("units").asInt());
                countedConversions.put(variant.get("key").asText(),
                        variant.get("metrics").get("purchase").get("conversions").asInt());
            }
            armUnits.keySet().forEach(k -> assertTrue(countedUnits.containsKey(k), k));
            countedUnits.keySet().forEach(k -> {
                armUnits.putIfAbsent(k, 0);
                conversions.putIfAbsent(k, 0);
            });
            assertEquals(armUnits, countedUnits);
            assertEquals(conversions, countedConversions);
            System.out.println("SDK end to end: " + UNITS + " units, arms " + armUnits + ", conversions " + conversions
                    + ", events " + summary);
        }
    }
}
