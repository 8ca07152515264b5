package io.splitline.bench.jmh;

import io.splitline.json.Json;
import io.splitline.targeting.Condition;
import io.splitline.targeting.Targeting;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Targeting evaluation on request attributes: a set membership, a semantic-version comparison, a regex,
 * and a realistic combined rule (all of: country in …, semver ≥, not an internal e-mail domain, any of two
 * numeric / equality conditions). Rules are parsed once, as the definition cache does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TargetingBenchmarks {
    private Condition in;
    private Condition semver;
    private Condition regex;
    private Condition combined;
    private Map<String, Object> attributes;

    @Setup
    public void setUp() {
        in = rule("{'attribute': 'country', 'op': 'in', 'values': ['US', 'CA', 'GB', 'IE', 'DE', 'FR', 'NL', 'AT']}");
        semver = rule("{'attribute': 'appVersion', 'op': 'semver_gte', 'value': '2.3.0'}");
        regex = rule("{'attribute': 'email', 'op': 'regex', 'value': '@(example|test)\\\\.com$'}");
        combined = rule("{'all': [{'attribute': 'country', 'op': 'in', 'values': ['DE', 'FR', 'NL', 'AT']},"
                + "{'attribute': 'appVersion', 'op': 'semver_gte', 'value': '2.3.0'},"
                + "{'not': {'attribute': 'email', 'op': 'regex', 'value': '@(example|test)\\\\.com$'}},"
                + "{'any': [{'attribute': 'sessions', 'op': 'gte', 'value': 10}, {'attribute': 'plan', 'op': 'eq', 'value': 'enterprise'}]}]}");
        attributes = Map.of("country", "DE", "appVersion", "2.4.1", "email", "ada@shop.de", "sessions", 12.0, "plan", "pro");
    }

    private static Condition rule(String json) {
        return Targeting.parse(Json.parseTrusted(json.replace('\'', '"')), "targeting");
    }

    @Benchmark
    public boolean setMembership() {
        return in.matches(attributes);
    }

    @Benchmark
    public boolean semanticVersion() {
        return semver.matches(attributes);
    }

    @Benchmark
    public boolean regex() {
        return regex.matches(attributes);
    }

    @Benchmark
    public boolean combinedRule() {
        return combined.matches(attributes);
    }
}
