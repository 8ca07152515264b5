package io.splitline.bench.harness;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.splitline.bench.BenchDefinitions;
import io.splitline.devkit.RequestCounter;
import io.splitline.functions.assignment.AssignmentHandler;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Warm {@code POST /assign} latency through the real handler (API Gateway event object in, response
 * event out), ten running experiments cached with the production TTL: without exposure tracking, with
 * tracking for units never seen (one transaction each: the unit items and the unit counts of the
 * experiments it enters) and with tracking for units this container recorded recently (no write).
 * Every call is timed on its own; the first calls of each kind are an untimed warm-up.
 */
final class AssignScenario {
    private static final int RECENT_UNITS = 5_000;

    private final Bench bench;
    private final HarnessOptions options;
    private final PrintStream out;

    AssignScenario(Bench bench, HarnessOptions options, PrintStream out) {
        this.bench = bench;
        this.options = options;
        this.out = out;
    }

    void run() {
        out.println("## Warm /assign through the handler (10 running experiments, definitions cached)");
        out.println();
        out.println("| case | calls | p50 us | p90 us | p99 us | p99.9 us | max us | DynamoDB requests/call |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        TableNames tables = bench.freshTables("assign");
        Clock clock = Clock.systemUTC();
        BenchDefinitions.createRunning(bench.client(), tables, clock, BenchDefinitions.TEN_EXPERIMENTS);
        RequestCounter counter = new RequestCounter();
        AssignmentHandler handler = new AssignmentHandler(Wiring.of(bench.countedClient(counter), tables, clock, datum -> { }, Map.of()));

        int n = options.assignCalls();
        int w = options.assignWarmup();
        List<String> units = BenchDefinitions.unitIds(2 * (w + n), options.seed());
        measure("track: false", handler, counter, units.subList(0, w), units.subList(w, w + n), false);
        List<String> fresh = units.subList(w + n, 2 * (w + n));
        List<String> tracked = fresh.subList(w, w + n);
        measure("track: true, new unit each call", handler, counter, fresh.subList(0, Math.max(1, w / 10)), tracked, true);
        // Units this container recorded last, few enough to be all remembered (the recorder keeps the
        // last 100 000 unit × experiment pairs), each called again several times.
        List<String> recent = tracked.subList(Math.max(0, tracked.size() - RECENT_UNITS), tracked.size());
        List<String> repeats = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            repeats.add(recent.get(i % recent.size()));
        }
        measure("track: true, unit recorded recently", handler, counter, List.of(), repeats, true);
        bench.drop(tables);
        out.println();
    }

    private void measure(String label, AssignmentHandler handler, RequestCounter counter, List<String> warmup,
                         List<String> timed, boolean track) {
        for (String unit : warmup) {
            call(handler, BenchDefinitions.assignEvent(BenchDefinitions.assignBody(unit, track)));
        }
        APIGatewayProxyRequestEvent[] events = new APIGatewayProxyRequestEvent[timed.size()];
        for (int i = 0; i < events.length; i++) {
            events[i] = BenchDefinitions.assignEvent(BenchDefinitions.assignBody(timed.get(i), track));
        }
        counter.reset();
        long[] nanos = new long[events.length];
        for (int i = 0; i < events.length; i++) {
            long start = System.nanoTime();
            call(handler, events[i]);
            nanos[i] = System.nanoTime() - start;
        }
        Latencies l = Latencies.of(nanos);
        out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %.2f |%n", label, l.count(), Latencies.us(l.median()),
                Latencies.us(l.percentile(0.9)), Latencies.us(l.percentile(0.99)), Latencies.us(l.percentile(0.999)),
                Latencies.us(l.max()), (double) counter.total() / l.count());
        out.flush();
    }

    private static void call(AssignmentHandler handler, APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("/assign answered " + response.getStatusCode() + ": " + response.getBody());
        }
    }
}
