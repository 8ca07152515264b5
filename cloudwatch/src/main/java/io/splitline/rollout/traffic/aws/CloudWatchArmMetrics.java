package io.splitline.rollout.traffic.aws;

import io.splitline.rollout.traffic.ArmMetricsSource;
import io.splitline.rollout.traffic.ArmTraffic;
import io.splitline.rollout.traffic.LambdaAliasTarget;
import io.splitline.rollout.traffic.RolloutTarget;
import io.splitline.rollout.traffic.SageMakerVariantsTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * The arms' traffic from the metrics AWS publishes itself, in ONE {@code GetMetricData} (followed through
 * its pages) of eight queries: for each arm, the {@code Sum} of requests and of errors, and the {@code Sum}
 * and {@code SampleCount} of latency (their ratio is the mean).
 * <ul>
 *   <li>Lambda: {@code AWS/Lambda} {@code Invocations}, {@code Errors}, {@code Duration} (ms) by
 *       {@code FunctionName}, {@code Resource} ({@code function:alias}) and {@code ExecutedVersion};</li>
 *   <li>SageMaker: {@code AWS/SageMaker} {@code Invocations}, {@code Invocation5XXErrors},
 *       {@code ModelLatency} (µs) by {@code EndpointName} and {@code VariantName}.</li>
 * </ul>
 * The period is a whole number of minutes chosen so that a window of any length is at most
 * {@value #MAX_PERIODS} periods per query (5-minute multiples beyond one minute, as CloudWatch requires for
 * older data); the values of all periods are added up.
 */
public final class CloudWatchArmMetrics implements ArmMetricsSource {
    static final int MAX_PERIODS = 1440;

    private final CloudWatchClient cloudWatch;

    public CloudWatchArmMetrics(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public ArmMetrics read(RolloutTarget target, Instant from, Instant to) {
        int period = period(from, to);
        Map<String, MetricDataQuery> queries = new LinkedHashMap<>();
        for (String arm : List.of("c", "t")) {
            String name = arm.equals("c") ? target.control() : target.treatment();
            Source s = Source.of(target, name);
            queries.put(arm + "requests", query(arm + "requests", s, s.requests(), "Sum", period));
            queries.put(arm + "errors", query(arm + "errors", s, s.errors(), "Sum", period));
            queries.put(arm + "latencysum", query(arm + "latencysum", s, s.latency(), "Sum", period));
            queries.put(arm + "latencycount", query(arm + "latencycount", s, s.latency(), "SampleCount", period));
        }
        Map<String, Double> totals = totals(new ArrayList<>(queries.values()), from, to);
        double latencyUnit = target instanceof SageMakerVariantsTarget ? 1000.0 : 1.0;
        return new ArmMetrics(from, to, arm("c", totals, latencyUnit), arm("t", totals, latencyUnit));
    }

    private static ArmTraffic arm(String arm, Map<String, Double> totals, double latencyUnit) {
        long requests = Math.round(totals.getOrDefault(arm + "requests", 0.0));
        long errors = Math.round(totals.getOrDefault(arm + "errors", 0.0));
        double count = totals.getOrDefault(arm + "latencycount", 0.0);
        Double latency = count > 0 ? totals.getOrDefault(arm + "latencysum", 0.0) / count / latencyUnit : null;
        return new ArmTraffic(requests, errors, latency);
    }

    /** One minute, or the 5-minute multiple that keeps the window within {@link #MAX_PERIODS} periods. */
    static int period(Instant from, Instant to) {
        long minutes = Math.max(1, Duration.between(from, to).toMinutes() + 1);
        long perPeriod = (minutes + MAX_PERIODS - 1) / MAX_PERIODS;
        return perPeriod <= 1 ? 60 : (int) (((perPeriod + 4) / 5) * 5 * 60);
    }

    private static MetricDataQuery query(String id, Source s, String metric, String stat, int period) {
        return MetricDataQuery.builder().id(id).returnData(true)
                .metricStat(m -> m.stat(stat).period(period).metric(x -> x.namespace(s.namespace()).metricName(metric)
                        .dimensions(s.dimensions()))).build();
    }

    private Map<String, Double> totals(List<MetricDataQuery> queries, Instant from, Instant to) {
        Map<String, Double> totals = new HashMap<>();
        String token = null;
        do {
            String page = token;
            GetMetricDataResponse response = cloudWatch.getMetricData(GetMetricDataRequest.builder()
                    .metricDataQueries(queries).startTime(from).endTime(to).nextToken(page).build());
            for (MetricDataResult r : response.metricDataResults()) {
                totals.merge(r.id(), r.values().stream().mapToDouble(Double::doubleValue).sum(), Double::sum);
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return totals;
    }

    /** Where one arm's metrics are. */
    private record Source(String namespace, List<Dimension> dimensions, String requests, String errors, String latency) {
        static Source of(RolloutTarget target, String arm) {
            if (target instanceof LambdaAliasTarget l) {
                return new Source("AWS/Lambda", List.of(dimension("FunctionName", l.functionName()),
                        dimension("Resource", l.functionName() + ":" + l.alias()), dimension("ExecutedVersion", arm)),
                        "Invocations", "Errors", "Duration");
            }
            SageMakerVariantsTarget s = (SageMakerVariantsTarget) target;
            return new Source("AWS/SageMaker", List.of(dimension("EndpointName", s.endpointName()),
                    dimension("VariantName", arm)), "Invocations", "Invocation5XXErrors", "ModelLatency");
        }

        private static Dimension dimension(String name, String value) {
            return Dimension.builder().name(name).value(value).build();
        }
    }
}
