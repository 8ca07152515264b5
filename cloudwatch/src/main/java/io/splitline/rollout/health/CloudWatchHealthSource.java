package io.splitline.rollout.health;

import io.splitline.rollout.HealthSpec;
import io.splitline.rollout.MetricCheck;
import io.splitline.rollout.MetricQuery;
import io.splitline.rollout.RatioCheck;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.CompositeAlarm;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * Reads a rollout's health from CloudWatch with at most two requests per step, whatever the number of
 * checks: ONE {@code GetMetricData} (followed through its pages) for every metric and ratio check, and
 * ONE {@code DescribeAlarms} (metric and composite alarms) for the named alarms.
 *
 * <p>Each metric check is one {@code MetricStat} query with the check's statistic (percentiles such as
 * {@code p99} included) and period; each ratio check is two queries, numerator and denominator, and the
 * ratio is computed per period by {@link CheckEvaluator} rather than by a metric-math expression. That
 * keeps the numerator and denominator of the worst period for the history, lets "missing numerator"
 * mean 0 for additive statistics, and is the form that can be tested against moto, whose metric math
 * does not evaluate {@code m1 / m2}.
 *
 * <p>The request covers {@code [windowStart, now]} truncated to whole seconds (CloudWatch itself rounds
 * the start down, to the minute for recent data, so the first period may include a few seconds from
 * before the stage). Thread-safe; build one per container around the container's client.
 */
public final class CloudWatchHealthSource implements HealthSource {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchHealthSource.class);
    /** DescribeAlarms' maximum page size; the names of one rollout fit one page. */
    private static final int ALARM_PAGE_SIZE = 100;

    private final CloudWatchClient cloudWatch;

    public CloudWatchHealthSource(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public HealthObservations observe(HealthSpec spec, Instant windowStart, Instant now) {
        if (windowStart.isAfter(now)) {
            throw new IllegalArgumentException("window starts at " + windowStart + ", after its end " + now);
        }
        List<CheckObservation> checks = spec.hasMetricChecks() ? readChecks(spec, windowStart, now) : List.of();
        List<AlarmObservation> alarms = spec.alarms().isEmpty() ? List.of() : readAlarms(spec.alarms());
        return new HealthObservations(windowStart, now, checks, alarms);
    }

    private List<CheckObservation> readChecks(HealthSpec spec, Instant windowStart, Instant now) {
        Instant start = windowStart.truncatedTo(ChronoUnit.SECONDS);
        Instant end = now.truncatedTo(ChronoUnit.SECONDS);
        // CloudWatch rejects an empty window; an empty window has no complete period anyway.
        Map<String, Map<Instant, Double>> series = start.isBefore(end) ? metricData(queries(spec), start, end) : Map.of();
        List<CheckObservation> checks = new ArrayList<>();
        for (int i = 0; i < spec.metrics().size(); i++) {
            checks.add(CheckEvaluator.metric(spec.metrics().get(i), series.getOrDefault(metricId(i), Map.of()), now));
        }
        for (int i = 0; i < spec.ratios().size(); i++) {
            checks.add(CheckEvaluator.ratio(spec.ratios().get(i), series.getOrDefault(numeratorId(i), Map.of()),
                    series.getOrDefault(denominatorId(i), Map.of()), now));
        }
        return checks;
    }

    /**
     * The queries of one GetMetricData call: {@code m<i>} for the i-th metric check, {@code n<i>} and
     * {@code d<i>} for the numerator and denominator of the i-th ratio check (ids must start with a
     * lower-case letter); labels carry the check names for anyone reading CloudTrail.
     */
    static List<MetricDataQuery> queries(HealthSpec spec) {
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int i = 0; i < spec.metrics().size(); i++) {
            MetricCheck check = spec.metrics().get(i);
            queries.add(query(metricId(i), check.name(), check.query(), check.periodSeconds()));
        }
        for (int i = 0; i < spec.ratios().size(); i++) {
            RatioCheck check = spec.ratios().get(i);
            queries.add(query(numeratorId(i), check.name() + " numerator", check.numerator(), check.periodSeconds()));
            queries.add(query(denominatorId(i), check.name() + " denominator", check.denominator(), check.periodSeconds()));
        }
        return queries;
    }

    private static MetricDataQuery query(String id, String label, MetricQuery query, int periodSeconds) {
        List<Dimension> dimensions = new ArrayList<>();
        query.dimensions().forEach((name, value) -> dimensions.add(Dimension.builder().name(name).value(value).build()));
        Metric metric = Metric.builder()
                .namespace(query.namespace())
                .metricName(query.metricName())
                .dimensions(dimensions)
                .build();
        return MetricDataQuery.builder()
                .id(id)
                .label(label)
                .metricStat(MetricStat.builder().metric(metric).period(periodSeconds).stat(query.statistic().name()).build())
                .returnData(true)
                .build();
    }

    private Map<String, Map<Instant, Double>> metricData(List<MetricDataQuery> queries, Instant start, Instant end) {
        GetMetricDataRequest request = GetMetricDataRequest.builder()
                .metricDataQueries(queries)
                .startTime(start)
                .endTime(end)
                .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                .build();
        Map<String, Map<Instant, Double>> series = new HashMap<>();
        try {
            for (GetMetricDataResponse page : cloudWatch.getMetricDataPaginator(request)) {
                for (MetricDataResult result : page.metricDataResults()) {
                    if (result.statusCode() == StatusCode.FORBIDDEN || result.statusCode() == StatusCode.INTERNAL_ERROR) {
                        throw new HealthReadException("CloudWatch answered " + result.statusCodeAsString()
                                + " for query " + result.id() + " (" + result.label() + ")");
                    }
                    Map<Instant, Double> values = series.computeIfAbsent(result.id(), id -> new TreeMap<>());
                    for (int i = 0; i < result.timestamps().size(); i++) {
                        values.put(result.timestamps().get(i), result.values().get(i));
                    }
                }
            }
        } catch (SdkException e) {
            throw new HealthReadException("CloudWatch GetMetricData failed: " + e.getMessage(), e);
        }
        LOG.debug("GetMetricData over [{}, {}]: {} queries, {} series", start, end, queries.size(), series.size());
        return series;
    }

    private List<AlarmObservation> readAlarms(List<String> names) {
        DescribeAlarmsRequest request = DescribeAlarmsRequest.builder()
                .alarmNames(names)
                .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM)
                .maxRecords(ALARM_PAGE_SIZE)
                .build();
        Map<String, AlarmObservation> found = new HashMap<>();
        try {
            for (DescribeAlarmsResponse page : cloudWatch.describeAlarmsPaginator(request)) {
                for (MetricAlarm alarm : page.metricAlarms()) {
                    found.put(alarm.alarmName(), observed(alarm.alarmName(), alarm.stateValue(), alarm.stateReason()));
                }
                for (CompositeAlarm alarm : page.compositeAlarms()) {
                    found.put(alarm.alarmName(), observed(alarm.alarmName(), alarm.stateValue(), alarm.stateReason()));
                }
            }
        } catch (SdkException e) {
            throw new HealthReadException("CloudWatch DescribeAlarms failed: " + e.getMessage(), e);
        }
        List<AlarmObservation> alarms = new ArrayList<>();
        for (String name : names) {
            AlarmObservation alarm = found.get(name);
            alarms.add(alarm != null ? alarm : AlarmObservation.missing(name));
        }
        return alarms;
    }

    private static AlarmObservation observed(String name, StateValue state, String reason) {
        AlarmState mapped;
        if (state == StateValue.OK) {
            mapped = AlarmState.OK;
        } else if (state == StateValue.ALARM) {
            mapped = AlarmState.ALARM;
        } else {
            // INSUFFICIENT_DATA, or a state this SDK does not know: neither healthy nor unhealthy.
            mapped = AlarmState.INSUFFICIENT_DATA;
        }
        return new AlarmObservation(name, mapped, true, reason);
    }

    private static String metricId(int index) {
        return "m" + index;
    }

    private static String numeratorId(int index) {
        return "n" + index;
    }

    private static String denominatorId(int index) {
        return "d" + index;
    }
}
