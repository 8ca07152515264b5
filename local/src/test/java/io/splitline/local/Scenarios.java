package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.time.Instant;

/**
 * End-to-end scenarios over the HTTP API of a started stack, shared by the runs on embedded DynamoDB
 * Local and on LocalStack: they use nothing but the API, as a client would.
 */
final class Scenarios {
    private Scenarios() {
    }

    /** Create, start, assign, events, results and history of an experiment. */
    static void experiment(ApiClient admin, ApiClient app, String key) {
        admin.post("/experiments", "{\"key\": \"" + key + "\", \"variants\": [{\"key\": \"control\", \"weight\": 0.5},"
                + " {\"key\": \"green\", \"weight\": 0.5}], \"metrics\": [{\"key\": \"purchase\", \"type\": \"conversion\","
                + " \"role\": \"primary\"}]}").expect(201);
        admin.post("/experiments/" + key + "/start", null).expect(200);

        int green = 0;
        ObjectNode body = Json.object();
        ArrayNode events = body.putArray("events");
        for (int u = 0; u < 40; u++) {
            JsonNode a = app.post("/assign", "{\"unitId\": \"user-" + u + "\", \"keys\": [\"" + key + "\"]}")
                    .expect(200).get("assignments").get(key);
            assertTrue(a.get("inExperiment").asBoolean(), a.toString());
            green += a.get("variant").asText().equals("green") ? 1 : 0;
            events.addObject().put("eventId", "p" + u).put("key", key).put("unitId", "user-" + u)
                    .put("metric", "purchase").put("timestamp", Instant.now().toString());
        }
        JsonNode ingested = app.post("/events", body).expect(200);
        JsonNode results = admin.get("/experiments/" + key + "/results").expect(200);
        JsonNode history = admin.get("/experiments/" + key + "/history").expect(200);

        assertEquals(40, ingested.get("accepted").asInt(), ingested.toString());
        long units = 0;
        for (JsonNode v : results.get("variants")) {
            units += v.get("units").asLong();
            assertEquals(1.0, v.get("metrics").get("purchase").get("rate").asDouble(), v.toString());
            if (v.get("key").asText().equals("green")) {
                assertEquals(green, v.get("units").asInt());
            }
        }
        assertEquals(40, units);
        assertEquals(2, history.get("entries").size());
        assertEquals("admin", history.get("entries").get(0).get("actor").asText());
    }

    /**
     * Two rollouts with a statistical guardrail on errors: a healthy one advances 50 % → 100 % and
     * completes; one whose treatment always fails is rolled back to 0 % with a reason. Traffic flows
     * through {@code /assign} and {@code /events} until both are final (the stack's timer runs the step).
     */
    static void rollouts(ApiClient admin, ApiClient app, String prefix) throws InterruptedException {
        String healthy = prefix + "-healthy";
        String broken = prefix + "-broken";
        for (String key : new String[] {healthy, broken}) {
            admin.post("/rollouts", "{\"key\": \"" + key + "\", \"stages\": [{\"percent\": 50, \"bake\": \"PT1S\"},"
                    + " {\"percent\": 100, \"bake\": \"PT0S\"}], \"health\": {\"guardrails\": [{\"metric\": \"errors\","
                    + " \"type\": \"conversion\", \"direction\": \"decrease\"}], \"minimumUnitsPerArm\": 30}}").expect(201);
            admin.post("/rollouts/" + key + "/start", null).expect(200);
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        int user = 0;
        while (System.nanoTime() < deadline && (active(admin, healthy) || active(admin, broken))) {
            ObjectNode body = Json.object();
            ArrayNode events = body.putArray("events");
            for (int i = 0; i < 40; i++, user++) {
                String unit = "r-user-" + user;
                // The app assigns without tracking and reports the exposure with the outcome in one batch,
                // so a step never sees a unit exposed whose outcome is still on its way.
                JsonNode a = app.post("/assign", "{\"unitId\": \"" + unit + "\", \"keys\": [\"" + healthy + "\", \""
                        + broken + "\"], \"track\": false}").expect(200).get("assignments");
                boolean fails = a.get(broken).get("variant").asText().equals("treatment");
                for (String key : new String[] {healthy, broken}) {
                    events.addObject().put("eventId", key + "-x-" + user).put("key", key).put("unitId", unit)
                            .put("type", "exposure").put("timestamp", Instant.now().toString());
                    events.addObject().put("eventId", key + "-e-" + user).put("key", key).put("unitId", unit)
                            .put("metric", "errors").put("value", key.equals(broken) && fails ? 1 : 0)
                            .put("timestamp", Instant.now().toString());
                }
            }
            app.post("/events", body).expect(200);
            Thread.sleep(100); // let the stack's timer step the rollouts; nothing is asserted on time
        }

        JsonNode done = admin.get("/rollouts/" + healthy).expect(200);
        JsonNode rolledBack = admin.get("/rollouts/" + broken).expect(200);
        assertEquals("completed", done.get("status").asText(), done.toString());
        assertEquals(100, done.get("percent").asInt());
        assertEquals("rolled_back", rolledBack.get("status").asText(), admin.get("/rollouts/" + broken + "/history").expect(200).toString());
        assertEquals(0, rolledBack.get("percent").asInt());
        assertTrue(rolledBack.get("lastDecision").get("reason").asText().contains("guardrail 'errors'"), rolledBack.toString());
        JsonNode timeline = admin.get("/rollouts/" + healthy + "/history").expect(200).get("entries");
        assertTrue(timeline.toString().contains("\"decision\":\"advance\""), timeline.toString());
        assertTrue(timeline.toString().contains("\"decision\":\"complete\""), timeline.toString());
        // After a rollback everyone is back on control, once the assignment function's definitions cache
        // has refreshed (DEFINITION_CACHE_SECONDS, the documented propagation delay): wait for it, bounded.
        long refreshed = System.nanoTime() + 30_000_000_000L;
        String variant;
        do {
            variant = app.post("/assign", "{\"unitId\": \"r-user-1\", \"keys\": [\"" + broken + "\"]}")
                    .expect(200).get("assignments").get(broken).get("variant").asText();
            if (!variant.equals("control")) {
                Thread.sleep(200);
            }
        } while (!variant.equals("control") && System.nanoTime() < refreshed);
        assertEquals("control", variant);
    }

    private static boolean active(ApiClient admin, String key) {
        return admin.get("/rollouts/" + key).expect(200).get("status").asText().equals("in_progress");
    }
}
