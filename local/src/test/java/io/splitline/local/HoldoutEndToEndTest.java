package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A holdout through the HTTP API of a started local stack: an experiment respecting it answers
 * {@code holdout} for held-out units, the tracked answers and the metric events sent with the holdout's key
 * make its results (exactly those units and conversions per arm), and the API refuses what it must.
 */
class HoldoutEndToEndTest {
    static final String HOLDOUT = """
            {"key": "q1-holdout", "percent": 20, "description": "Q1 launches",
             "metrics": [{"key": "purchase", "type": "conversion", "role": "primary"}]}""";
    static final String EXPERIMENT = """
            {"key": "hx", "holdout": "q1-holdout", "targeting": {"attribute": "country", "op": "eq", "value": "DE"},
             "variants": [{"key": "control", "weight": 0.5}, {"key": "treatment", "weight": 0.5}]}""";

    @Test
    void heldOutUnits_andTheOthers_areComparedOnTheHoldoutsMetrics() {
        try (LocalStack stack = LocalStack.start(LocalOptions.parse("--port", "0", "--app-key", "holdout-app-key", "--admin-key", "holdout-admin-key"))) {
            ApiClient admin = new ApiClient(stack.baseUri(), "holdout-admin-key");
            ApiClient app = new ApiClient(stack.baseUri(), "holdout-app-key");
            assertEquals("holdout", admin.post("/experiments", EXPERIMENT).expect(400).get("field").asText(),
                    "an experiment must name an existing holdout");
            assertEquals("draft", admin.post("/holdouts", HOLDOUT).expect(201).get("status").asText());
            admin.post("/holdouts/q1-holdout/start", null).expect(200);
            admin.post("/experiments", EXPERIMENT).expect(201);
            admin.post("/experiments/hx/start", null).expect(200);

            Map<String, Integer> units = new TreeMap<>(Map.of("holdout", 0, "general", 0));
            Map<String, Integer> conversions = new TreeMap<>(Map.of("holdout", 0, "general", 0));
            List<String> heldOut = new ArrayList<>();
            ArrayNode events = Json.MAPPER.createArrayNode();
            for (int i = 0; i < 300; i++) {
                String unit = "user-" + i;
                String country = i % 3 == 0 ? "US" : "DE";
                JsonNode a = app.post("/assign", "{\"unitId\": \"" + unit + "\", \"attributes\": {\"country\": \"" + country
                        + "\"}, \"keys\": [\"hx\"]}").expect(200).get("assignments").get("hx");
                String reason = a.get("reason").asText();
                String arm = switch (reason) {
                    case "holdout" -> "holdout";
                    case "hashed" -> "general";
                    default -> null;
                };
                if (reason.equals("holdout")) {
                    heldOut.add(unit);
                    assertEquals("control", a.get("variant").asText());
                }
                if (arm != null) {
                    units.merge(arm, 1, Integer::sum);
                    conversions.merge(arm, i % 2 == 0 ? 1 : 0, Integer::sum);
                } else {
                    assertEquals("not_targeted", reason);
                }
                if (i % 2 == 0) {
                    events.add(Json.object().put("eventId", "p-" + i).put("key", "q1-holdout").put("unitId", unit)
                            .put("type", "metric").put("metric", "purchase").put("timestamp", "2026-11-24T10:00:00Z"));
                }
            }
            assertTrue(!heldOut.isEmpty() && units.get("general") > 0, units.toString());
            ObjectNode batch = Json.object();
            batch.set("events", events);
            JsonNode ingested = app.post("/events", Json.write(batch)).expect(200);
            // Every metric event is stored (design B decides exposure in the fold): those of units never exposed
            // (the untargeted US ones) are accepted and count nowhere, which the results below check.
            assertEquals(events.size(), ingested.get("accepted").asInt(), ingested.toString());
            assertEquals(0, ingested.get("ignored").asInt(), ingested.toString());
            assertTrue(conversions.get("holdout") + conversions.get("general") < events.size(), "some converters were never exposed");
            JsonNode heldOutExposure = app.post("/events", "{\"events\": [{\"eventId\": \"x-1\", \"key\": \"hx\", \"unitId\": \""
                    + heldOut.get(0) + "\", \"type\": \"exposure\", \"timestamp\": \"2026-11-24T10:00:00Z\"}]}").expect(200);
            assertEquals(1, heldOutExposure.get("ignored").asInt(), "a held-out unit's exposure does not count for the experiment");

            JsonNode results = admin.get("/holdouts/q1-holdout/results").expect(200);
            Map<String, Integer> countedUnits = new TreeMap<>();
            Map<String, Integer> countedConversions = new TreeMap<>();
            for (JsonNode variant : results.get("variants")) {
                countedUnits.put(variant.get("key").asText(), variant.get("units").asInt());
                countedConversions.put(variant.get("key").asText(), variant.get("metrics").get("purchase").get("conversions").asInt());
            }
            assertEquals(units, countedUnits);
            assertEquals(conversions, countedConversions);
            assertEquals(1, results.get("comparisons").size(), "general against the holdout, on the one metric");

            JsonNode running = admin.get("/holdouts?status=running").expect(200).get("holdouts");
            assertEquals(1, running.size());
            assertEquals("q1-holdout", running.get(0).get("key").asText());
            assertEquals("percent", admin.post("/holdouts", "{\"key\": \"h2\", \"percent\": 0}").expect(400).get("field").asText());
            assertEquals("seed", admin.patch("/holdouts/q1-holdout", "{\"version\": 2, \"seed\": \"other\"}").expect(409)
                    .get("field").asText());
            assertEquals(25.0, admin.patch("/holdouts/q1-holdout", "{\"version\": 2, \"percent\": 25}").expect(200)
                    .get("percent").asDouble());
            assertEquals(List.of("create", "start", "update"), admin.get("/holdouts/q1-holdout/history").expect(200)
                    .get("entries").findValuesAsText("action"));
            admin.get("/holdouts/nope").expect(404);
            admin.get("/holdouts/nope/results").expect(404);
            admin.post("/holdouts/q1-holdout/start", null).expect(409);
            System.out.println("holdout end to end: units " + units + ", conversions " + conversions);
        }
    }
}
