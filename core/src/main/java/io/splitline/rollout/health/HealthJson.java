package io.splitline.rollout.health;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.time.Instant;

/**
 * The JSON form of {@link HealthObservations}, as recorded in a rollout's history ({@code observations})
 * so that every decision shows the figures behind it. Missing values are JSON null, never 0.
 */
public final class HealthJson {
    private HealthJson() {
    }

    public static ObjectNode toJson(HealthObservations observations) {
        ObjectNode node = Json.object();
        node.put("windowStart", observations.windowStart().toString());
        node.put("windowEnd", observations.windowEnd().toString());
        ArrayNode checks = node.putArray("checks");
        for (CheckObservation c : observations.checks()) {
            ObjectNode check = checks.addObject();
            check.put("name", c.name());
            check.put("kind", c.kind().json());
            check.put("comparison", c.comparison().json());
            check.put("threshold", c.threshold());
            check.put("periodSeconds", c.periodSeconds());
            check.put("dataPoints", c.dataPoints());
            check.put("value", c.value());
            check.put("periodStart", instant(c.periodStart()));
            if (c.kind() == CheckKind.RATIO) {
                check.put("numerator", c.numerator());
                check.put("denominator", c.denominator());
            }
            check.put("breached", c.breached());
        }
        ArrayNode alarms = node.putArray("alarms");
        for (AlarmObservation a : observations.alarms()) {
            ObjectNode alarm = alarms.addObject();
            alarm.put("name", a.name());
            alarm.put("state", a.state().name());
            alarm.put("exists", a.exists());
            alarm.put("reason", a.reason());
        }
        return node;
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
