package io.splitline.bench.harness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricType;
import io.splitline.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, endless stream of {@code /events} traffic for one experiment, shaped like an app's: each unit
 * is exposed once and then sends 0–18 metric events (9 on average, so 10 events per unit), and about 50
 * units are active at any moment, their events interleaved. A unit's own events stay in order (a metric
 * never precedes its unit's exposure), so every event of the stream counts and the ground truth is exact.
 * The same seed always gives the same stream.
 */
final class Traffic {
    /** One event. {@code metric} is null for an exposure. */
    record Event(String eventId, String unitId, String metric, BigDecimal value, Instant timestamp) {
        boolean isExposure() {
            return metric == null;
        }
    }

    private static final int ACTIVE_UNITS = 50;
    private static final int MAX_METRIC_EVENTS = 18;

    private final String key;
    private final List<Metric> metrics;
    private final Instant timestamp;
    private final SplittableRandom random;
    private final String prefix;
    private final List<List<Event>> active = new ArrayList<>();
    private long units;
    private long sent;

    Traffic(ExperimentSpec spec, Instant timestamp, long seed) {
        this.key = spec.key();
        this.metrics = spec.metrics();
        this.timestamp = timestamp;
        this.random = new SplittableRandom(seed);
        this.prefix = "s" + Long.toHexString(seed);
        for (int i = 0; i < ACTIVE_UNITS; i++) {
            active.add(newUnit());
        }
    }

    String key() {
        return key;
    }

    /** The next event of the stream. */
    Event next() {
        int slot = random.nextInt(active.size());
        List<Event> events = active.get(slot);
        Event e = events.remove(0);
        if (events.isEmpty()) {
            active.set(slot, newUnit());
        }
        sent++;
        return e;
    }

    /** The next {@code n} events. */
    List<Event> next(int n) {
        List<Event> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(next());
        }
        return batch;
    }

    long sent() {
        return sent;
    }

    private List<Event> newUnit() {
        long u = units++;
        String unitId = "user-" + prefix + "-" + Long.toHexString(random.nextLong() >>> 20) + "-" + u;
        List<Event> events = new ArrayList<>();
        events.add(new Event(unitId + "-x", unitId, null, BigDecimal.ZERO, timestamp));
        int count = random.nextInt(MAX_METRIC_EVENTS + 1);
        for (int i = 0; i < count; i++) {
            Metric metric = metrics.get(random.nextInt(metrics.size()));
            BigDecimal value = metric.type() == MetricType.CONVERSION
                    ? BigDecimal.ONE
                    : BigDecimal.valueOf(100 + random.nextInt(19_900), 2).stripTrailingZeros();
            events.add(new Event(unitId + "-" + i, unitId, metric.key(), value, timestamp));
        }
        return events;
    }

    /** The {@code POST /events} body of these events, as an app sends it. */
    String body(List<Event> events) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("events");
        for (Event e : events) {
            ObjectNode o = array.addObject();
            o.put("eventId", e.eventId());
            o.put("key", key);
            o.put("unitId", e.unitId());
            if (e.isExposure()) {
                o.put("type", "exposure");
            } else {
                o.put("type", "metric");
                o.put("metric", e.metric());
                o.put("value", e.value());
            }
            o.put("timestamp", e.timestamp().toString());
        }
        return Json.write(body);
    }
}
