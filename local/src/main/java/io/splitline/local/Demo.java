package io.splitline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code demo}: starts the stack and drives it through its HTTP API like real apps would. Simulated
 * users with known true rates go through {@code /assign} and {@code /events}; the results must show the
 * real effect as significant and the A/A metric as not significant. Exits 0 only when they do.
 * Everything random is seeded, so a run is reproducible.
 */
final class Demo {
    static final String EXPERIMENT = "demo-checkout";
    static final int USERS = 4000;
    static final long SEED = 20261124L;
    /** True purchase rates: the green button really converts better (+50 % relative). */
    static final double CONTROL_PURCHASE = 0.10;
    static final double GREEN_PURCHASE = 0.15;
    /** The A/A metric: the same true rate in both arms, so any "effect" is noise. */
    static final double NEWSLETTER = 0.20;
    static final double PAGE_ERRORS = 0.02;

    /** The demo steps rollouts every second so that its rollout passes its stages in seconds. */
    static final Duration STEP_INTERVAL = Duration.ofSeconds(1);

    private final PrintStream out;
    /** Progress lines are redrawn in place ({@code \r}) on a terminal only: redirected, they would pile up on one line. */
    private final boolean terminal;

    Demo(PrintStream out) {
        this(out, System.console() != null);
    }

    Demo(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    int run(LocalOptions options) {
        LocalOptions demo = options.withStepInterval(STEP_INTERVAL);
        try (LocalStack stack = LocalStack.start(demo, out)) {
            out.println("Splitline demo on " + stack.baseUri() + " (DynamoDB Local in-process, seed " + SEED + ")");
            ApiClient admin = new ApiClient(stack.baseUri(), stack.adminKey());
            ApiClient app = new ApiClient(stack.baseUri(), stack.appKey());
            boolean experimentOk = experiment(admin, app);
            boolean rolloutOk = rollout(admin, app);
            out.println();
            boolean ok = experimentOk && rolloutOk;
            out.println(ok ? "Demo passed." : "Demo FAILED: see above.");
            return ok ? 0 : 1;
        }
    }

    private boolean experiment(ApiClient admin, ApiClient app) {
        out.println();
        out.println("1. Experiment '" + EXPERIMENT + "': blue (control) vs green buy button, 50/50.");
        out.printf(Locale.ROOT, "   true purchase rate: control %.0f%%, green %.0f%%; newsletter %.0f%% in both (A/A)%n",
                CONTROL_PURCHASE * 100, GREEN_PURCHASE * 100, NEWSLETTER * 100);
        JsonNode results = runExperiment(admin, app, USERS);
        printResults(results);
        JsonNode purchase = comparison(results, "purchase");
        JsonNode newsletter = comparison(results, "newsletter");
        boolean detected = purchase != null && purchase.get("significant").asBoolean();
        boolean noFalseAlarm = newsletter != null && !newsletter.get("significant").asBoolean();
        out.println("   check: real effect on purchase detected ........ " + (detected ? "yes" : "NO"));
        out.println("   check: no effect reported on the A/A metric ..... " + (noFalseAlarm ? "yes" : "NO"));
        return detected && noFalseAlarm;
    }

    /**
     * Creates and starts the demo experiment, sends {@code users} simulated users through {@code /assign}
     * and {@code /events}, and answers the results the API then reports. Also what tests seed a stack with.
     */
    JsonNode runExperiment(ApiClient admin, ApiClient app, int users) {
        admin.post("/experiments", """
                {"key": "demo-checkout", "description": "Green buy button (demo)",
                 "variants": [{"key": "control", "weight": 0.5, "config": {"color": "blue"}},
                              {"key": "green", "weight": 0.5, "config": {"color": "green"}}],
                 "metrics": [{"key": "purchase", "type": "conversion", "role": "primary", "minimumDetectableEffect": 0.3},
                             {"key": "revenue", "type": "mean", "role": "secondary"},
                             {"key": "newsletter", "type": "conversion", "role": "secondary"},
                             {"key": "page-errors", "type": "conversion", "direction": "decrease", "role": "guardrail"}],
                 "minimumSampleSize": 500}""").expect(201);
        admin.post("/experiments/" + EXPERIMENT + "/start", null).expect(200);
        simulateUsers(app, users);
        return admin.get("/experiments/" + EXPERIMENT + "/results").expect(200);
    }

    static final String ROLLOUT = "demo-ranker";
    static final double BASE_ERROR_RATE = 0.01;
    static final double BROKEN_ERROR_RATE = 0.30;
    static final Duration ROLLOUT_TIMEOUT = Duration.ofSeconds(90);
    /** Users per wave of rollout traffic; the rollout is read between waves. */
    static final int WAVE_USERS = 150;
    /** Simulated users in flight at once, like many apps calling together (the stack folds their calls together). */
    static final int TRAFFIC_THREADS = 8;

    /**
     * A rollout 10 % → 50 % → 100 % with short bakes, watched by a CloudWatch-style check on the
     * treatment's error rate (answered from the EMF the stack emits) and a statistical guardrail. Healthy
     * traffic first, so it advances; then the treatment starts failing 30 % of requests, and the step
     * must roll it back.
     */
    private boolean rollout(ApiClient admin, ApiClient app) {
        out.println();
        out.println("2. Rollout '" + ROLLOUT + "': 10% -> 50% -> 100%, bake 4 s per stage, step every "
                + STEP_INTERVAL.toMillis() + " ms.");
        admin.post("/rollouts", """
                {"key": "demo-ranker", "description": "Ranker v2 (demo)",
                 "stages": [{"percent": 10, "bake": "PT4S"}, {"percent": 50, "bake": "PT4S"}, {"percent": 100, "bake": "PT0S"}],
                 "health": {"metrics": [{"name": "treatment-error-rate", "namespace": "Splitline", "metricName": "errors",
                                         "dimensions": {"Experiment": "demo-ranker", "Variant": "treatment"},
                                         "statistic": "Average", "periodSeconds": 1,
                                         "comparison": "GreaterThanThreshold", "threshold": 0.05}],
                            "guardrails": [{"metric": "errors", "type": "conversion", "direction": "decrease"}],
                            "minimumUnitsPerArm": 100, "alpha": 0.05}}""").expect(201);
        admin.post("/rollouts/" + ROLLOUT + "/start", null).expect(200);
        out.printf(Locale.ROOT, "   healthy traffic (%.0f%% errors in both arms) until it advances past 10%%...%n", BASE_ERROR_RATE * 100);
        JsonNode state = drive(admin, app, BASE_ERROR_RATE, r -> r.get("percent").asInt() >= 50 || !inProgress(r));
        out.printf(Locale.ROOT, "   now at %d%% (%s)%n", state.get("percent").asInt(), state.get("status").asText());
        out.printf(Locale.ROOT, "   injecting errors: the treatment now fails %.0f%% of requests...%n", BROKEN_ERROR_RATE * 100);
        state = drive(admin, app, BROKEN_ERROR_RATE, r -> !inProgress(r));

        printTimeline(admin.get("/rollouts/" + ROLLOUT + "/history").expect(200));
        String status = state.get("status").asText();
        String reason = state.path("lastDecision").path("reason").asText("");
        boolean rolledBack = status.equals("rolled_back") && state.get("percent").asInt() == 0 && !reason.isEmpty();
        out.println("   final status: " + status + " at " + state.get("percent").asInt() + "%");
        out.println("   reason: " + reason);
        out.println("   check: rollout rolled back to 0% with a reason ... " + (rolledBack ? "yes" : "NO"));
        return rolledBack;
    }

    private static boolean inProgress(JsonNode rollout) {
        return rollout.get("status").asText().equals("in_progress");
    }

    /** Sends waves of users until {@code done} holds for the rollout (or the timeout passes). */
    private JsonNode drive(ApiClient admin, ApiClient app, double treatmentErrorRate, java.util.function.Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + ROLLOUT_TIMEOUT.toNanos();
        JsonNode rollout = admin.get("/rollouts/" + ROLLOUT).expect(200);
        int wave = 0;
        ExecutorService pool = Executors.newFixedThreadPool(TRAFFIC_THREADS);
        try {
            while (!done.test(rollout) && System.nanoTime() < deadline) {
                ArrayNode batch = Json.array();
                List<Callable<ObjectNode>> users = new ArrayList<>();
                for (int u = 0; u < WAVE_USERS; u++) {
                    int user = rolloutUser++;
                    users.add(() -> rankerUser(app, user, treatmentErrorRate));
                }
                for (Future<ObjectNode> event : pool.invokeAll(users)) {
                    batch.add(event.get());
                }
                flush(app, batch);
                rollout = admin.get("/rollouts/" + ROLLOUT).expect(200);
                wave++;
                if (terminal) {
                    out.printf(Locale.ROOT, "\r   wave %d: %d users so far, rollout %s at %d%%   ", wave, rolloutUser,
                            rollout.get("status").asText(), rollout.get("percent").asInt());
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending rollout traffic", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("rollout traffic failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        if (terminal) {
            out.println();
        }
        out.printf(Locale.ROOT, "   %d waves, %d users so far%n", wave, rolloutUser);
        return rollout;
    }

    /** One rollout user: asks for the arm (which records the exposure) and answers whether the request failed. */
    private static ObjectNode rankerUser(ApiClient app, int user, double treatmentErrorRate) {
        String unit = String.format(Locale.ROOT, "ranker-user-%06d", user);
        SplittableRandom random = new SplittableRandom(SEED + 0x9E3779B97F4A7C15L * (user + 1_000_000L));
        String arm = app.post("/assign", "{\"unitId\": \"" + unit + "\", \"keys\": [\"" + ROLLOUT + "\"]}")
                .expect(200).get("assignments").get(ROLLOUT).get("variant").asText();
        double rate = arm.equals("treatment") ? treatmentErrorRate : BASE_ERROR_RATE;
        ObjectNode e = Json.object();
        e.put("eventId", "ranker-" + user);
        e.put("key", ROLLOUT);
        e.put("unitId", unit);
        e.put("metric", "errors");
        e.put("value", random.nextDouble() < rate ? 1 : 0);
        e.put("timestamp", java.time.Instant.now().toString());
        return e;
    }

    private int rolloutUser;

    private void printTimeline(JsonNode history) {
        out.println();
        out.printf(Locale.ROOT, "   %-24s %-9s %5s -> %-5s %s%n", "at", "decision", "from", "to", "reason");
        String lastHold = null;
        for (JsonNode e : history.get("entries")) {
            String decision = e.get("decision").asText();
            String reason = e.path("reason").asText("");
            if (decision.equals("hold") && reason.equals(lastHold)) {
                continue; // holds repeat every step; show each distinct reason once
            }
            lastHold = decision.equals("hold") ? reason : null;
            out.printf(Locale.ROOT, "   %-24s %-9s %4s%% -> %3s%%  %s%n", e.get("at").asText(), decision,
                    e.path("fromPercent").asText("-"), e.path("toPercent").asText("-"), abbreviate(reason, 110));
        }
        out.println();
    }

    /** At most {@code max} characters, cut at a word boundary. */
    static String abbreviate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int cut = s.lastIndexOf(' ', max - 4);
        return s.substring(0, cut > 0 ? cut : max - 4) + " ...";
    }

    private void simulateUsers(ApiClient app, int users) {
        AtomicInteger done = new AtomicInteger();
        int threads = TRAFFIC_THREADS;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int slice = t;
            work.add(pool.submit(() -> {
                ArrayNode batch = Json.array();
                for (int u = slice; u < users; u += threads) {
                    simulateUser(app, u, batch);
                    if (batch.size() >= 400) {
                        flush(app, batch);
                    }
                    int n = done.incrementAndGet();
                    if (n % 200 == 0) {
                        progress(n, users);
                    }
                }
                flush(app, batch);
                return null;
            }));
        }
        try {
            for (Future<?> f : work) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("simulated traffic failed", e);
        } finally {
            pool.shutdownNow();
        }
        if (terminal) {
            progress(users, users);
            out.println();
        }
        out.println("   " + users + " users simulated; events accepted: " + accepted.get() + ", ignored or duplicate: " + ignored.get());
    }

    private synchronized void progress(int n, int users) {
        if (!terminal) {
            return;
        }
        out.printf(Locale.ROOT, "\r   simulating users through POST /assign and POST /events: %d/%d", n, users);
        out.flush();
    }

    /** One user: asks for the variant (which records the exposure) and reports what the user did. */
    private void simulateUser(ApiClient app, int index, ArrayNode batch) {
        String unit = String.format(Locale.ROOT, "demo-user-%05d", index);
        // SplittableRandom mixes its seed: java.util.Random's first draws from nearby seeds are nearly equal.
        SplittableRandom random = new SplittableRandom(SEED + 0x9E3779B97F4A7C15L * index);
        String variant = app.post("/assign", "{\"unitId\": \"" + unit + "\", \"keys\": [\"" + EXPERIMENT + "\"]}")
                .expect(200).get("assignments").get(EXPERIMENT).get("variant").asText();
        double purchaseRate = variant.equals("green") ? GREEN_PURCHASE : CONTROL_PURCHASE;
        if (random.nextDouble() < purchaseRate) {
            batch.add(event(unit, "purchase", 1, index, 1));
            batch.add(event(unit, "revenue", 20 + random.nextInt(60), index, 2));
        }
        if (random.nextDouble() < NEWSLETTER) {
            batch.add(event(unit, "newsletter", 1, index, 3));
        }
        if (random.nextDouble() < PAGE_ERRORS) {
            batch.add(event(unit, "page-errors", 1, index, 4));
        }
    }

    private static ObjectNode event(String unit, String metric, double value, int user, int n) {
        ObjectNode e = Json.object();
        e.put("eventId", "demo-" + user + "-" + n);
        e.put("key", EXPERIMENT);
        e.put("unitId", unit);
        e.put("metric", metric);
        e.put("value", value);
        e.put("timestamp", java.time.Instant.now().toString());
        return e;
    }

    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger ignored = new AtomicInteger();

    private void flush(ApiClient app, ArrayNode batch) {
        if (batch.isEmpty()) {
            return;
        }
        ObjectNode body = Json.object();
        body.set("events", batch.deepCopy());
        JsonNode result = app.post("/events", body).expect(200);
        if (result.get("rejected").size() > 0) {
            throw new IllegalStateException("events rejected: " + result.get("rejected"));
        }
        accepted.addAndGet(result.get("accepted").asInt());
        ignored.addAndGet(result.get("ignored").asInt() + result.get("duplicates").asInt());
        batch.removeAll();
    }

    private static JsonNode comparison(JsonNode results, String metric) {
        for (JsonNode c : results.get("comparisons")) {
            if (c.get("metric").asText().equals(metric)) {
                return c;
            }
        }
        return null;
    }

    private void printResults(JsonNode r) {
        JsonNode srm = r.get("srm");
        out.printf(Locale.ROOT, "%n   Results (confidence %.0f%%)  SRM p = %.3f%s%n", r.get("confidenceLevel").asDouble() * 100,
                srm.get("pValue").asDouble(), srm.get("mismatch").asBoolean() ? "  MISMATCH" : "  (ok)");
        out.printf(Locale.ROOT, "   %-9s %6s  %-22s %-22s %-14s %-22s%n", "variant", "units", "purchase rate [CI]",
                "newsletter rate [CI]", "revenue/user", "page-errors [CI] (guardrail)");
        for (JsonNode v : r.get("variants")) {
            JsonNode m = v.get("metrics");
            out.printf(Locale.ROOT, "   %-9s %6d  %-22s %-22s %-14s %-22s%n", v.get("key").asText(), v.get("units").asLong(),
                    rate(m.get("purchase")), rate(m.get("newsletter")), number(m.get("revenue").get("mean")),
                    rate(m.get("page-errors")));
        }
        out.printf(Locale.ROOT, "%n   %-12s %-32s %-26s %9s %9s  %s%n", "green vs control", "absolute lift [CI]",
                "relative lift [CI]", "p", "adj. p", "verdict");
        for (JsonNode c : r.get("comparisons")) {
            out.printf(Locale.ROOT, "   %-16s %-32s %-26s %9s %9s  %s%n", c.get("metric").asText(),
                    absoluteLift(c),
                    percent(c.get("relativeLift")) + " " + percentInterval(c.get("relativeLiftCi")),
                    pValue(c.get("pValue")), pValue(c.get("adjustedPValue")),
                    c.get("significant").asBoolean() ? "SIGNIFICANT (" + c.get("outcome").asText() + ")" : "not significant");
        }
        JsonNode rec = r.get("recommendation");
        out.println();
        out.println("   Recommendation: " + rec.get("decision").asText()
                + (rec.get("variant").isNull() ? "" : " " + rec.get("variant").asText()));
        rec.get("reasons").forEach(reason -> out.println("     - " + reason.asText()));
        out.println();
    }

    private static String rate(JsonNode m) {
        return m == null || m.get("rate").isNull() ? "-" : String.format(Locale.ROOT, "%5.2f%% %s",
                m.get("rate").asDouble() * 100, percentInterval(m.get("ci")));
    }

    private static String number(JsonNode n) {
        return n == null || n.isNull() ? "-" : String.format(Locale.ROOT, "%.4f", n.asDouble());
    }

    /** A p-value with four decimals; below that, "< 0.0001" rather than a misleading 0.0000. */
    static String pValue(JsonNode n) {
        if (n == null || n.isNull()) {
            return "-";
        }
        return n.asDouble() < 0.0001 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", n.asDouble());
    }

    /** In the unit of the metric's rates: percentage points for conversions, metric units for means. */
    static String absoluteLift(JsonNode c) {
        JsonNode lift = c.get("absoluteLift");
        if (lift == null || lift.isNull()) {
            return "-";
        }
        boolean rate = c.get("type").asText().equals("conversion");
        double scale = rate ? 100 : 1;
        String unit = rate ? " pp" : "";
        JsonNode ci = c.get("absoluteLiftCi");
        String interval = ci == null || ci.isNull() ? "[-]" : String.format(Locale.ROOT, "[%+.2f, %+.2f]",
                ci.get(0).asDouble() * scale, ci.get(1).asDouble() * scale);
        return String.format(Locale.ROOT, "%+.2f%s %s", lift.asDouble() * scale, unit, interval);
    }

    private static String percent(JsonNode n) {
        return n == null || n.isNull() ? "-" : String.format(Locale.ROOT, "%+.1f%%", n.asDouble() * 100);
    }

    private static String percentInterval(JsonNode ci) {
        return ci == null || ci.isNull() ? "[-]" : String.format(Locale.ROOT, "[%.1f%%, %.1f%%]",
                ci.get(0).asDouble() * 100, ci.get(1).asDouble() * 100);
    }
}
