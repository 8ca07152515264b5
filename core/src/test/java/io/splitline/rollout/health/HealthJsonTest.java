package io.splitline.rollout.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.json.Json;
import io.splitline.rollout.Comparison;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthJsonTest {

    @Test
    void observations_writeNullForNoData_andTheOperandsOfRatios() {
        Instant start = Instant.parse("2026-01-05T10:00:00Z");
        Instant end = Instant.parse("2026-01-05T10:10:00Z");
        HealthObservations observations = new HealthObservations(start, end,
                List.of(new CheckObservation("errors", CheckKind.METRIC, Comparison.GREATER_THAN_THRESHOLD, 5, 60, 0,
                                null, null, null, null, false),
                        new CheckObservation("error-rate", CheckKind.RATIO, Comparison.GREATER_THAN_THRESHOLD, 0.05, 60, 3,
                                0.1, Instant.parse("2026-01-05T10:01:00Z"), 3.0, 30.0, true)),
                List.of(AlarmObservation.missing("gone"),
                        new AlarmObservation("api-5xx", AlarmState.ALARM, true, "Threshold Crossed")));

        String json = Json.write(HealthJson.toJson(observations));

        assertEquals(Json.parse("""
                {"windowStart": "2026-01-05T10:00:00Z", "windowEnd": "2026-01-05T10:10:00Z",
                 "checks": [
                   {"name": "errors", "kind": "metric", "comparison": "GreaterThanThreshold", "threshold": 5.0,
                    "periodSeconds": 60, "dataPoints": 0, "value": null, "periodStart": null, "breached": false},
                   {"name": "error-rate", "kind": "ratio", "comparison": "GreaterThanThreshold", "threshold": 0.05,
                    "periodSeconds": 60, "dataPoints": 3, "value": 0.1, "periodStart": "2026-01-05T10:01:00Z",
                    "numerator": 3.0, "denominator": 30.0, "breached": true}],
                 "alarms": [
                   {"name": "gone", "state": "INSUFFICIENT_DATA", "exists": false, "reason": "no alarm with this name exists"},
                   {"name": "api-5xx", "state": "ALARM", "exists": true, "reason": "Threshold Crossed"}]}
                """), Json.parse(json));
    }
}
