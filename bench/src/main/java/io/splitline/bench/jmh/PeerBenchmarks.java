package io.splitline.bench.jmh;

import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.FileData;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.variant.Variant;
import io.getunleash.util.UnleashConfig;
import io.splitline.assignment.Assignment;
import io.splitline.assignment.ExperimentAssigner;
import io.splitline.bench.BenchDefinitions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One experiment decision in Splitline and in two in-process peers, in the same run: the 50/50
 * {@code checkout-button} experiment of {@link BenchDefinitions#TEN_EXPERIMENTS}, targeted on
 * {@code country in [DE, FR, NL, AT]} (the request's country matches), over the same 1,024 rotating unit ids.
 *
 * <p>The peers run offline: the Unleash Java client from a bootstrap string with polling and metrics
 * disabled (its API URL is an unused loopback address), LaunchDarkly's server SDK from its file data source
 * (its {@code TestData} source cannot express a percentage rollout, so it would measure no bucketing) with
 * events and diagnostics disabled. In the first three cases each peer gets its evaluation context built
 * once per unit in the set-up, so its figure is a lower bound of what an application pays, and Splitline
 * gets the unit id and an attribute map; the {@code …PerRequest} cases build the context (the map, for
 * Splitline) from the unit id and country on every call, as a server does for each request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeerBenchmarks {
    /** The experiment's key, the same in all three implementations. */
    static final String EXPERIMENT = "checkout-button";
    static final int UNITS = 1024;

    String[] units;
    Map<String, Object> attributes;
    String country;
    UnleashContext[] unleashContexts;
    LDContext[] launchDarklyContexts;
    ExperimentAssigner splitline;
    Unleash unleash;
    LDClient launchDarkly;
    private Path unleashBackup;
    private int next;

    @Setup
    public void setUp() throws IOException {
        units = BenchDefinitions.unitIds(UNITS, 1).toArray(String[]::new);
        attributes = BenchDefinitions.ATTRIBUTES;
        country = (String) attributes.get("country");
        splitline = ExperimentAssigner.of(BenchDefinitions.running(BenchDefinitions.TEN_EXPERIMENTS.get(0)));
        if (!splitline.key().equals(EXPERIMENT)) {
            throw new IllegalStateException("the peers' definitions are of " + EXPERIMENT + ", not " + splitline.key());
        }

        // A path that does not exist yet: the client reads its backup before the bootstrap, and writes none
        // without a fetch.
        unleashBackup = Files.createTempDirectory("splitline-bench-unleash").resolve("backup.json");
        String features = resource("peers/unleash-features.json");
        unleash = new DefaultUnleash(UnleashConfig.builder()
                .appName("splitline-bench")
                .instanceId("bench")
                .unleashAPI("http://127.0.0.1:9/api/")
                .disablePolling()
                .disableMetrics()
                .backupFile(unleashBackup.toString())
                .toggleBootstrapProvider(() -> Optional.of(features))
                .build());
        unleashContexts = new UnleashContext[UNITS];
        for (int i = 0; i < UNITS; i++) {
            unleashContexts[i] = UnleashContext.builder().userId(units[i]).addProperty("country", country).build();
        }

        launchDarkly = new LDClient("offline-bench", new LDConfig.Builder()
                .dataSource(FileData.dataSource().classpathResources("peers/launchdarkly-flags.json"))
                .events(Components.noEvents())
                .diagnosticOptOut(true)
                .build());
        if (!launchDarkly.isInitialized()) {
            throw new IllegalStateException("LaunchDarkly's file data source did not load");
        }
        launchDarklyContexts = new LDContext[UNITS];
        for (int i = 0; i < UNITS; i++) {
            launchDarklyContexts[i] = LDContext.builder(units[i]).set("country", country).build();
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        unleash.shutdown();
        launchDarkly.close();
        Files.deleteIfExists(unleashBackup);
        Files.deleteIfExists(unleashBackup.getParent());
    }

    private int nextUnit() {
        next = (next + 1) & (UNITS - 1);
        return next;
    }

    /** Splitline's decision: targeting, hash v2, bucket ranges. */
    @Benchmark
    public Assignment splitline() {
        return splitline.assign(units[nextUnit()], attributes);
    }

    /** Unleash's variant of a flexible-rollout strategy with one {@code IN} constraint, 500/500 variants. */
    @Benchmark
    public Variant unleash() {
        return unleash.getVariant(EXPERIMENT, unleashContexts[nextUnit()]);
    }

    /** LaunchDarkly's variation of a flag whose one rule ({@code country in}) rolls out 50/50. */
    @Benchmark
    public String launchDarkly() {
        return launchDarkly.stringVariation(EXPERIMENT, launchDarklyContexts[nextUnit()], "unassigned");
    }

    /** Splitline, with the request's attribute map built on the call. */
    @Benchmark
    public Assignment splitlinePerRequest() {
        return splitline.assign(units[nextUnit()], Map.of("country", country));
    }

    /** Unleash, with its context built on the call. */
    @Benchmark
    public Variant unleashPerRequest() {
        return unleash.getVariant(EXPERIMENT, UnleashContext.builder().userId(units[nextUnit()]).addProperty("country", country).build());
    }

    /** LaunchDarkly, with its context built on the call. */
    @Benchmark
    public String launchDarklyPerRequest() {
        return launchDarkly.stringVariation(EXPERIMENT, LDContext.builder(units[nextUnit()]).set("country", country).build(), "unassigned");
    }

    private static String resource(String name) {
        try (InputStream in = PeerBenchmarks.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
