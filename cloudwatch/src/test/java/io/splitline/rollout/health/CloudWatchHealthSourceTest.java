package io.splitline.rollout.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.rollout.Comparison;
import io.splitline.rollout.HealthSpec;
import io.splitline.rollout.MetricCheck;
import io.splitline.rollout.MetricQuery;
import io.splitline.rollout.RatioCheck;
import io.splitline.rollout.Statistic;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * {@link CloudWatchHealthSource} driving the real CloudWatch client against moto_server. Moto keeps one
 * state for the whole JVM, so every test uses its own function name (moto matches a query with
 * dimensions on the dimensions and metric name only) and its own alarm names.
 */
@ExtendWith(MotoServerExtension.class)
class CloudWatchHealthSourceTest {
    static final Instant START = Instant.parse("2026-01-05T10:00:00Z");
    static final Instant NOW = START.plusSeconds(600);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final RequestCounter requests = new RequestCounter();
    private CloudWatchClient cloudWatch;
    private CloudWatchHealthSource source;
    private String function;

    @BeforeEach
    void setUp(MotoServer moto) {
        cloudWatch = client(moto.endpoint(), moto, true);
        source = new CloudWatchHealthSource(cloudWatch);
        function = "health-test-" + SEQUENCE.incrementAndGet();
    }

    private CloudWatchClient client(URI endpoint, MotoServer moto, boolean retries) {
        return CloudWatchClient.builder()
                .endpointOverride(endpoint)
                .region(moto.region())
                .credentialsProvider(moto.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(requests)
                        .retryStrategy(retries ? AwsRetryStrategy.standardRetryStrategy() : AwsRetryStrategy.doNotRetry()))
                .build();
    }

    // ---- seeding -------------------------------------------------------------------------------

    private void put(String namespace, String metric, Instant at, double... values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        cloudWatch.putMetricData(b -> b.namespace(namespace).metricData(MetricDatum.builder()
                .metricName(metric)
                .dimensions(Dimension.builder().name("FunctionName").value(function).build())
                .timestamp(at)
                .values(list)
                .build()));
    }

    private static Instant at(int minute, int second) {
        return START.plusSeconds(60L * minute + second);
    }

    private MetricCheck lambda(String name, String metric, String statistic, Comparison comparison, double threshold) {
        return new MetricCheck(name, "AWS/Lambda", metric, Map.of("FunctionName", function), new Statistic(statistic),
                60, comparison, threshold);
    }

    private MetricQuery lambdaQuery(String metric, String statistic) {
        return new MetricQuery("AWS/Lambda", metric, Map.of("FunctionName", function), new Statistic(statistic));
    }

    private static HealthSpec spec(List<MetricCheck> metrics, List<RatioCheck> ratios, List<String> alarms) {
        return new HealthSpec(metrics, ratios, alarms, 1, List.of(), 0.05, 200);
    }

    // ---- metric checks -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: worst period Sum {1} vs threshold 5 -> breached={2}")
    @CsvSource({
        "GREATER_THAN_THRESHOLD, 5, false", "GREATER_THAN_THRESHOLD, 6, true",
        "GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 5, true", "GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 4, false",
        "LESS_THAN_THRESHOLD, 5, false", "LESS_THAN_THRESHOLD, 4, true",
        "LESS_THAN_OR_EQUAL_TO_THRESHOLD, 5, true", "LESS_THAN_OR_EQUAL_TO_THRESHOLD, 6, false"})
    void sumAtOrNextToTheThreshold_breachesExactlyAsTheOperatorSays(Comparison comparison, int worstSum, boolean breached) {
        // given one benign period far on the healthy side and one period summing to worstSum (from two data points)
        boolean greater = comparison == Comparison.GREATER_THAN_THRESHOLD
                || comparison == Comparison.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
        put("AWS/Lambda", "Errors", at(1, 10), greater ? 1 : 100);
        put("AWS/Lambda", "Errors", at(4, 10), worstSum - 2);
        put("AWS/Lambda", "Errors", at(4, 50), 2);

        // when
        HealthObservations seen = source.observe(spec(List.of(lambda("errors", "Errors", "Sum", comparison, 5)),
                List.of(), List.of()), START, NOW);

        // then
        CheckObservation errors = seen.check("errors").orElseThrow();
        assertEquals(2, errors.dataPoints());
        assertEquals(worstSum, errors.value());
        assertEquals(at(4, 0), errors.periodStart());
        assertEquals(breached, errors.breached());
        assertEquals(breached ? List.of(errors) : List.of(), seen.breachedChecks());
    }

    @Test
    void statisticsOtherThanSum_areComputedPerPeriodByCloudWatch() {
        put("AWS/Lambda", "Duration", at(2, 5), 10, 30, 20, 40);

        HealthObservations seen = source.observe(spec(List.of(
                lambda("avg", "Duration", "Average", Comparison.GREATER_THAN_THRESHOLD, 24),
                lambda("max", "Duration", "Maximum", Comparison.GREATER_THAN_THRESHOLD, 40),
                lambda("min", "Duration", "Minimum", Comparison.LESS_THAN_THRESHOLD, 10),
                lambda("count", "Duration", "SampleCount", Comparison.LESS_THAN_THRESHOLD, 5)),
                List.of(), List.of()), START, NOW);

        assertEquals(25.0, seen.check("avg").orElseThrow().value());
        assertTrue(seen.check("avg").orElseThrow().breached());
        assertEquals(40.0, seen.check("max").orElseThrow().value());
        assertFalse(seen.check("max").orElseThrow().breached());
        assertEquals(10.0, seen.check("min").orElseThrow().value());
        assertFalse(seen.check("min").orElseThrow().breached());
        assertEquals(4.0, seen.check("count").orElseThrow().value());
        assertTrue(seen.check("count").orElseThrow().breached());
    }

    @Test
    void percentileStatistic_p99_isReadWhereTheBackendComputesIt(MotoServer moto) {
        double[] latencies = new double[100];
        for (int i = 0; i < 100; i++) {
            latencies[i] = i + 1;
        }
        put("AWS/Lambda", "Duration", at(3, 0), latencies);
        HealthSpec spec = spec(List.of(lambda("p99", "Duration", "p99", Comparison.GREATER_THAN_THRESHOLD, 95)),
                List.of(), List.of());

        CheckObservation p99;
        try {
            p99 = new CloudWatchHealthSource(client(moto.endpoint(), moto, false))
                    .observe(spec, START, NOW).check("p99").orElseThrow();
        } catch (HealthReadException e) {
            boolean motoGap = e.getCause() instanceof SdkServiceException s && s.statusCode() == 500;
            Assumptions.assumeFalse(motoGap, "moto_server cannot compute percentile statistics in GetMetricData "
                    + "(moto 5.2.1 answers HTTP 500); the p99 request is covered by "
                    + "CloudWatchQueriesTest.percentileCheck_isSentAsItsStat and the evaluation by CheckEvaluatorTest");
            throw e;
        }
        assertEquals(1, p99.dataPoints());
        assertTrue(p99.value() >= 98 && p99.value() <= 100, "p99 of 1..100 was " + p99.value());
        assertTrue(p99.breached());
    }

    // ---- ratios --------------------------------------------------------------------------------

    @Test
    void errorRatioAboveThreshold_isBreached_withTheWorstPeriodsErrorsAndInvocations() {
        put("AWS/Lambda", "Errors", at(0, 30), 1);
        put("AWS/Lambda", "Invocations", at(0, 30), 100);
        put("AWS/Lambda", "Errors", at(5, 15), 3);
        put("AWS/Lambda", "Invocations", at(5, 15), 30);
        put("AWS/Lambda", "Invocations", at(7, 0), 50); // no errors at all in that minute: a ratio of 0

        HealthObservations seen = source.observe(spec(List.of(), List.of(new RatioCheck("error-rate",
                lambdaQuery("Errors", "Sum"), lambdaQuery("Invocations", "Sum"), 60,
                Comparison.GREATER_THAN_THRESHOLD, 0.05)), List.of()), START, NOW);

        CheckObservation rate = seen.check("error-rate").orElseThrow();
        assertEquals(CheckKind.RATIO, rate.kind());
        assertEquals(3, rate.dataPoints());
        assertEquals(0.1, rate.value(), 1e-15);
        assertEquals(3.0, rate.numerator());
        assertEquals(30.0, rate.denominator());
        assertEquals(at(5, 0), rate.periodStart());
        assertTrue(rate.breached());
    }

    @Test
    void errorRatioExactlyAtThreshold_isNotBreachedByGreaterThan() {
        put("AWS/Lambda", "Errors", at(2, 0), 5);
        put("AWS/Lambda", "Invocations", at(2, 0), 100);

        CheckObservation rate = source.observe(spec(List.of(), List.of(new RatioCheck("error-rate",
                lambdaQuery("Errors", "Sum"), lambdaQuery("Invocations", "Sum"), 60,
                Comparison.GREATER_THAN_THRESHOLD, 0.05)), List.of()), START, NOW).check("error-rate").orElseThrow();

        assertEquals(0.05, rate.value());
        assertFalse(rate.breached());
    }

    // ---- no data and data points ---------------------------------------------------------------

    @Test
    void metricWithoutData_isNoData_notZero() {
        HealthObservations seen = source.observe(spec(
                List.of(lambda("throttles", "Throttles", "Sum", Comparison.LESS_THAN_THRESHOLD, 1)),
                List.of(new RatioCheck("error-rate", lambdaQuery("Errors", "Sum"), lambdaQuery("Invocations", "Sum"), 60,
                        Comparison.GREATER_THAN_THRESHOLD, 0.05)), List.of()), START, NOW);

        for (CheckObservation check : seen.checks()) {
            assertEquals(0, check.dataPoints(), check.name());
            assertNull(check.value(), check.name());
            assertFalse(check.breached(), check.name());
        }
        assertEquals(seen.checks(), seen.checksWithFewerDataPointsThan(1));
    }

    @Test
    void dataPoints_countCompletePeriodsInsideTheWindowOnly() {
        put("AWS/Lambda", "Errors", START.minusSeconds(30), 1); // before the stage began
        put("AWS/Lambda", "Errors", at(0, 0), 1);
        put("AWS/Lambda", "Errors", at(0, 40), 1); // same period as the previous one
        put("AWS/Lambda", "Errors", at(4, 20), 1);
        put("AWS/Lambda", "Errors", at(9, 59), 1); // last period, ends exactly at 10:10:00
        put("AWS/Lambda", "Errors", at(10, 10), 1); // period still running at now

        HealthObservations seen = source.observe(spec(
                List.of(lambda("errors", "Errors", "Sum", Comparison.GREATER_THAN_THRESHOLD, 10)),
                List.of(), List.of()), START, NOW.plusSeconds(30));

        CheckObservation errors = seen.check("errors").orElseThrow();
        assertEquals(3, errors.dataPoints());
        assertEquals(2.0, errors.value());
        assertEquals(List.of(), seen.checksWithFewerDataPointsThan(3));
        assertEquals(List.of(errors), seen.checksWithFewerDataPointsThan(4));
    }

    @Test
    void emptyWindow_isNoData_withoutAskingCloudWatch() {
        put("AWS/Lambda", "Errors", at(0, 0), 9);
        requests.clear();

        HealthObservations seen = source.observe(spec(
                List.of(lambda("errors", "Errors", "Sum", Comparison.GREATER_THAN_THRESHOLD, 1)),
                List.of(), List.of()), START, START);

        assertEquals(0, seen.check("errors").orElseThrow().dataPoints());
        assertEquals(Map.of(), requests.counts());
    }

    @Test
    void windowStartingAfterNow_isRefused() {
        HealthSpec spec = spec(List.of(), List.of(), List.of());

        assertThrows(IllegalArgumentException.class, () -> source.observe(spec, NOW, START));
    }

    // ---- alarms --------------------------------------------------------------------------------

    private void alarm(String name, StateValue state) {
        cloudWatch.putMetricAlarm(b -> b.alarmName(name)
                .namespace("AWS/ApiGateway").metricName("5XXError")
                .dimensions(Dimension.builder().name("ApiName").value(function).build())
                .statistic("Sum").period(60).evaluationPeriods(1).threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD));
        cloudWatch.setAlarmState(b -> b.alarmName(name).stateValue(state).stateReason("set by the test: " + state));
    }

    @Test
    void namedAlarms_reportTheirStates_andAMissingAlarmIsInsufficientData() {
        alarm(function + "-firing", StateValue.ALARM);
        alarm(function + "-fine", StateValue.OK);
        alarm(function + "-unknown", StateValue.INSUFFICIENT_DATA);
        alarm(function + "-not-named", StateValue.ALARM);
        List<String> names = List.of(function + "-firing", function + "-fine", function + "-unknown", function + "-typo");

        HealthObservations seen = source.observe(spec(List.of(), List.of(), names), START, NOW);

        assertEquals(List.of(
                new AlarmObservation(function + "-firing", AlarmState.ALARM, true, "set by the test: ALARM"),
                new AlarmObservation(function + "-fine", AlarmState.OK, true, "set by the test: OK"),
                new AlarmObservation(function + "-unknown", AlarmState.INSUFFICIENT_DATA, true, "set by the test: INSUFFICIENT_DATA"),
                AlarmObservation.missing(function + "-typo")), seen.alarms());
        assertEquals(List.of(seen.alarms().get(0)), seen.alarmsIn(AlarmState.ALARM));
        assertEquals(List.of(seen.alarms().get(2), seen.alarms().get(3)), seen.alarmsIn(AlarmState.INSUFFICIENT_DATA));
        assertEquals(List.of(), seen.checks());
    }

    // ---- requests ------------------------------------------------------------------------------

    @Test
    void oneRollout_costsOneGetMetricDataAndOneDescribeAlarms_whateverTheNumberOfChecks() {
        put("AWS/Lambda", "Errors", at(1, 0), 1);
        put("AWS/Lambda", "Invocations", at(1, 0), 10);
        alarm(function + "-a", StateValue.OK);
        alarm(function + "-b", StateValue.OK);
        HealthSpec spec = spec(
                List.of(lambda("errors", "Errors", "Sum", Comparison.GREATER_THAN_THRESHOLD, 5),
                        lambda("invocations", "Invocations", "Sum", Comparison.LESS_THAN_THRESHOLD, 1),
                        lambda("max-errors", "Errors", "Maximum", Comparison.GREATER_THAN_THRESHOLD, 5)),
                List.of(new RatioCheck("rate-a", lambdaQuery("Errors", "Sum"), lambdaQuery("Invocations", "Sum"), 60,
                                Comparison.GREATER_THAN_THRESHOLD, 0.5),
                        new RatioCheck("rate-b", lambdaQuery("Errors", "SampleCount"), lambdaQuery("Invocations", "SampleCount"),
                                120, Comparison.GREATER_THAN_THRESHOLD, 2)),
                List.of(function + "-a", function + "-b", function + "-c"));
        requests.clear();

        HealthObservations seen = source.observe(spec, START, NOW);

        assertEquals(Map.of("GetMetricData", 1, "DescribeAlarms", 1), requests.counts());
        assertEquals(List.of("errors", "invocations", "max-errors", "rate-a", "rate-b"),
                seen.checks().stream().map(CheckObservation::name).toList());
        assertEquals(0.1, seen.check("rate-a").orElseThrow().value(), 1e-15);
        assertEquals(1.0, seen.check("rate-b").orElseThrow().value());
        assertEquals(3, seen.alarms().size());
    }

    @Test
    void unreachableCloudWatch_isAHealthReadException(MotoServer moto) throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        CloudWatchHealthSource unreachable = new CloudWatchHealthSource(client(closed, moto, false));
        HealthSpec metrics = spec(List.of(lambda("errors", "Errors", "Sum", Comparison.GREATER_THAN_THRESHOLD, 5)),
                List.of(), List.of());
        HealthSpec alarms = spec(List.of(), List.of(), List.of("any"));

        HealthReadException metricFailure = assertThrows(HealthReadException.class,
                () -> unreachable.observe(metrics, START, NOW));
        HealthReadException alarmFailure = assertThrows(HealthReadException.class,
                () -> unreachable.observe(alarms, START, NOW));

        assertInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class, metricFailure.getCause());
        assertInstanceOf(software.amazon.awssdk.core.exception.SdkClientException.class, alarmFailure.getCause());
    }

    /** Counts the operations the client executes (each page of a paginated call is one), by name. */
    static final class RequestCounter implements ExecutionInterceptor {
        private final Map<String, Integer> counts = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            counts.merge(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
        }

        Map<String, Integer> counts() {
            return Map.copyOf(counts);
        }

        void clear() {
            counts.clear();
        }
    }
}
