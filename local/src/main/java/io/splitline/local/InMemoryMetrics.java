package io.splitline.local;

import io.splitline.metrics.MetricDatum;
import io.splitline.metrics.MetricSink;
import io.splitline.rollout.HealthSpec;
import io.splitline.rollout.MetricCheck;
import io.splitline.rollout.MetricQuery;
import io.splitline.rollout.RatioCheck;
import io.splitline.rollout.Statistic;
import io.splitline.rollout.health.AlarmObservation;
import io.splitline.rollout.health.CheckEvaluator;
import io.splitline.rollout.health.CheckObservation;
import io.splitline.rollout.health.HealthObservations;
import io.splitline.rollout.health.HealthSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stands in for CloudWatch in the local stack when no {@code --cloudwatch-endpoint} is given: keeps the
 * metrics the service emits (the EMF data of guardrail metrics, namespace {@code Splitline}) and answers
 * the rollout step's metric and ratio checks over them with CloudWatch's statistics. It knows nothing
 * else: checks on other namespaces (AWS/Lambda…) see no data, and named alarms do not exist (reported as
 * {@code INSUFFICIENT_DATA}, so a rollout naming alarms holds) — run against moto_server or AWS for those.
 */
public final class InMemoryMetrics implements MetricSink, HealthSource {
    private record Point(String namespace, Map<String, String> dimensions, String name, double value, Instant at) {
    }

    private final List<Point> points = new ArrayList<>();

    @Override
    public synchronized void emit(MetricDatum datum) {
        for (double value : datum.values()) {
            points.add(new Point(datum.namespace(), datum.dimensions(), datum.name(), value, datum.timestamp()));
        }
    }

    @Override
    public HealthObservations observe(HealthSpec spec, Instant windowStart, Instant now) {
        if (windowStart.isAfter(now)) {
            throw new IllegalArgumentException("window starts after it ends");
        }
        List<CheckObservation> checks = new ArrayList<>();
        for (MetricCheck check : spec.metrics()) {
            checks.add(CheckEvaluator.metric(check, periods(check.query(), check.periodSeconds(), windowStart, now), now));
        }
        for (RatioCheck check : spec.ratios()) {
            checks.add(CheckEvaluator.ratio(check, periods(check.numerator(), check.periodSeconds(), windowStart, now),
                    periods(check.denominator(), check.periodSeconds(), windowStart, now), now));
        }
        List<AlarmObservation> alarms = spec.alarms().stream().map(AlarmObservation::missing).toList();
        return new HealthObservations(windowStart, now, checks, alarms);
    }

    /** The query's statistic per period, periods aligned to multiples of the period since the epoch. */
    synchronized Map<Instant, Double> periods(MetricQuery query, int periodSeconds, Instant from, Instant to) {
        Map<Instant, List<Double>> values = new TreeMap<>();
        for (Point p : points) {
            if (p.namespace().equals(query.namespace()) && p.name().equals(query.metricName())
                    && p.dimensions().equals(query.dimensions()) && !p.at().isBefore(from) && !p.at().isAfter(to)) {
                long start = Math.floorDiv(p.at().getEpochSecond(), periodSeconds) * periodSeconds;
                values.computeIfAbsent(Instant.ofEpochSecond(start), k -> new ArrayList<>()).add(p.value());
            }
        }
        Map<Instant, Double> result = new TreeMap<>();
        values.forEach((start, list) -> result.put(start, statistic(query.statistic(), list)));
        return result;
    }

    static double statistic(Statistic statistic, List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return switch (statistic.name()) {
            case "SampleCount" -> v.length;
            case "Sum" -> Arrays.stream(v).sum();
            case "Average" -> Arrays.stream(v).average().orElse(Double.NaN);
            case "Minimum" -> v[0];
            case "Maximum" -> v[v.length - 1];
            default -> percentile(v, Double.parseDouble(statistic.name().substring(1)));
        };
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
