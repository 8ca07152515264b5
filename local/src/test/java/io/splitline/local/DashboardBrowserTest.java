package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.aggregate.DynamoDbAggregateReader;
import io.splitline.json.Json;
import io.splitline.metrics.MetricDatum;
import io.splitline.rollout.Decision;
import io.splitline.rollout.step.RolloutStep;
import io.splitline.rollout.step.StepOutcome;
import io.splitline.rollout.step.StepReportJson;
import io.splitline.store.DynamoDbDefinitionStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real headless browser against a started local stack with data: every assertion is
 * on the DOM the page's scripts rendered from the API, compared with what the API itself answers.
 * Screenshots are kept as {@code local/target/dashboard-*.png}. Rollout histories are made by the
 * scheduled step's own code run at chosen instants (bake times of an hour pass in no time), the way the
 * stack's timer or EventBridge runs it.
 */
class DashboardBrowserTest {
    static final String APP_KEY = "app-key-for-dashboard";
    static final String ADMIN_KEY = "admin-key-for-dashboard";
    /** Enough simulated users for results with real intervals, few enough for a quick test. */
    static final int USERS = 3000;
    static final String SRM_EXPERIMENT = "qa-leak";
    static final int SRM_UNITS = 40;
    /** Completed: advances, holds while baking, completes. */
    static final String HEALTHY_ROLLOUT = "ranker-v2";
    /** Rolled back: a metric check breached in its second stage. */
    static final String FAILING_ROLLOUT = "checkout-v3";
    /** Still in progress, holding at its first stage. */
    static final String LIVE_ROLLOUT = "search-v4";
    static final Map<String, String> DECISION_LABELS = Map.of("ship", "Ship", "keep_control", "Keep control",
            "inconclusive", "Inconclusive", "needs_more_data", "Needs more data", "not_started", "Not started",
            "invalid", "Invalid");

    static HeadlessChromium chromium;
    static LocalStack stack;
    static ApiClient admin;
    static ApiClient app;
    static Path artefacts;

    @BeforeAll
    static void startStackWithData() {
        chromium = HeadlessChromium.find().orElse(null);
        if (chromium == null) {
            return; // each test reports the skip (an aborted @BeforeAll would be counted nowhere)
        }
        artefacts = Path.of(System.getProperty("basedir", ".")).resolve("target");
        // A step interval of a day: the only rollout decisions are the ones this test makes.
        stack = LocalStack.start(LocalOptions.parse("--port", "0", "--app-key", APP_KEY, "--admin-key", ADMIN_KEY,
                "--step-interval", "PT24H"));
        admin = new ApiClient(stack.baseUri(), ADMIN_KEY);
        app = new ApiClient(stack.baseUri(), APP_KEY);

        new Demo(new PrintStream(OutputStream.nullOutputStream())).runExperiment(admin, app, USERS);
        seedSampleRatioMismatch();
        admin.post("/experiments", """
                {"key": "ranker-three-way", "description": "Three rankers, not started",
                 "variants": [{"key": "current", "weight": 0.5}, {"key": "bm25", "weight": 0.25}, {"key": "neural", "weight": 0.25}],
                 "metrics": [{"key": "click", "type": "conversion", "role": "primary"}]}""").expect(201);
        seedRollouts();
        seedHoldouts();
    }

    /** A running holdout with 40 exposed units (sent with its key) and a draft one. */
    static void seedHoldouts() {
        admin.post("/holdouts", "{\"key\": \"q1-holdout\", \"percent\": 12.5, \"description\": \"Q1 launches\", "
                + "\"metrics\": [{\"key\": \"purchase\", \"type\": \"conversion\"}]}").expect(201);
        admin.post("/holdouts/q1-holdout/start", null).expect(200);
        admin.post("/holdouts", "{\"key\": \"q2-holdout\", \"percent\": 5, \"seed\": \"q2\"}").expect(201);
        StringBuilder events = new StringBuilder();
        for (int u = 0; u < 40; u++) {
            events.append(u == 0 ? "" : ",").append("{\"eventId\": \"h").append(u).append("\", \"key\": \"q1-holdout\", ")
                    .append("\"unitId\": \"hu-").append(u).append("\", \"type\": \"exposure\", \"timestamp\": \"2026-11-24T10:00:00Z\"}");
        }
        assertEquals(40, app.post("/events", "{\"events\": [" + events + "]}").expect(200).get("accepted").asInt());
    }

    static void seedRollouts() {
        Instant s = startRollout(HEALTHY_ROLLOUT, """
                {"key": "ranker-v2", "description": "Ranker v2 behind a rollout",
                 "stages": [{"percent": 5, "bake": "PT0S"}, {"percent": 25, "bake": "PT1H"},
                            {"percent": 50, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}]}""");
        step(HEALTHY_ROLLOUT, s.plus(Duration.ofMinutes(1)), Decision.ADVANCE);
        step(HEALTHY_ROLLOUT, s.plus(Duration.ofMinutes(20)), Decision.HOLD);
        step(HEALTHY_ROLLOUT, s.plus(Duration.ofMinutes(40)), Decision.HOLD);
        step(HEALTHY_ROLLOUT, s.plus(Duration.ofMinutes(62)), Decision.ADVANCE);
        step(HEALTHY_ROLLOUT, s.plus(Duration.ofMinutes(90)), Decision.HOLD);
        step(HEALTHY_ROLLOUT, s.plus(Duration.ofMinutes(124)), Decision.ADVANCE);
        step(HEALTHY_ROLLOUT, s.plus(Duration.ofMinutes(125)), Decision.COMPLETE);

        s = startRollout(FAILING_ROLLOUT, """
                {"key": "checkout-v3", "description": "New checkout service",
                 "stages": [{"percent": 10, "bake": "PT10M"}, {"percent": 50, "bake": "PT1H"}, {"percent": 100, "bake": "PT0S"}],
                 "health": {"metrics": [{"name": "checkout-errors", "namespace": "Splitline", "metricName": "CheckoutErrors",
                                         "dimensions": {"Rollout": "checkout-v3"}, "statistic": "Sum", "periodSeconds": 60,
                                         "comparison": "GreaterThanThreshold", "threshold": 5}]}}""");
        checkoutErrors(1, s.plus(Duration.ofMinutes(2)));
        step(FAILING_ROLLOUT, s.plus(Duration.ofMinutes(5)), Decision.HOLD);
        step(FAILING_ROLLOUT, s.plus(Duration.ofMinutes(12)), Decision.ADVANCE);
        checkoutErrors(12, s.plus(Duration.ofMinutes(14)));
        step(FAILING_ROLLOUT, s.plus(Duration.ofMinutes(17)), Decision.ROLLBACK);

        s = startRollout(LIVE_ROLLOUT, """
                {"key": "search-v4", "description": "Search index v4",
                 "stages": [{"percent": 25, "bake": "PT30M"}, {"percent": 100, "bake": "PT0S"}]}""");
        step(LIVE_ROLLOUT, s.plus(Duration.ofMinutes(5)), Decision.HOLD);
    }

    /** Creates and starts a rollout; answers when its first stage began. */
    static Instant startRollout(String key, String definition) {
        admin.post("/rollouts", definition).expect(201);
        return Instant.parse(admin.post("/rollouts/" + key + "/start", null).expect(200).get("stageStartedAt").asText());
    }

    /** The scheduled step for one rollout, run as if the clock read {@code at}. */
    static void step(String key, Instant at, Decision expected) {
        RolloutStep step = new RolloutStep(new DynamoDbDefinitionStore(stack.dynamoDb(), stack.tables().definitions()), stack.metrics(),
                new DynamoDbAggregateReader(stack.dynamoDb(), stack.tables().aggregates()), rollout -> { }, Clock.fixed(at, ZoneOffset.UTC));
        StepOutcome outcome = step.step(key);
        assertEquals(expected, outcome.decision(), () -> "seeding " + key + ": " + StepReportJson.toJson(outcome));
    }

    static void checkoutErrors(double count, Instant at) {
        stack.metrics().emit(new MetricDatum(MetricDatum.SPLITLINE_NAMESPACE, Map.of("Rollout", FAILING_ROLLOUT),
                "CheckoutErrors", List.of(count), at));
    }

    /** QA overrides counted as exposures: every unit lands in one arm of a 50/50 split. */
    static void seedSampleRatioMismatch() {
        ObjectNode spec = Json.object();
        spec.put("key", SRM_EXPERIMENT);
        spec.put("description", "QA overrides counted as exposures");
        spec.putArray("variants").add(Json.object().put("key", "control").put("weight", 0.5))
                .add(Json.object().put("key", "variant-b").put("weight", 0.5));
        ObjectNode overrides = spec.putObject("overrides");
        for (int i = 0; i < SRM_UNITS; i++) {
            overrides.put("qa-" + i, "variant-b");
        }
        spec.putArray("metrics").add(Json.object().put("key", "click").put("type", "conversion").put("role", "primary"));
        admin.post("/experiments", spec).expect(201);
        admin.post("/experiments/" + SRM_EXPERIMENT + "/start", null).expect(200);
        for (int i = 0; i < SRM_UNITS; i++) {
            app.post("/assign", "{\"unitId\": \"qa-" + i + "\", \"keys\": [\"" + SRM_EXPERIMENT + "\"]}").expect(200);
        }
    }

    @BeforeEach
    void needsChromium() {
        Assumptions.assumeTrue(chromium != null, HeadlessChromium.MISSING);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * The page at {@code fragment} as the browser rendered it, after checking that its scripts ran: the
     * dashboard writes nothing to the console, so any message is an uncaught error or a module the browser
     * refused, and a page still "loading" never ran app.js (a module failed to load).
     */
    static Document open(String fragment, String screenshot) {
        HeadlessChromium.Page page = chromium.render(URI.create(stack.baseUri() + "/" + fragment),
                artefacts.resolve("dashboard-" + screenshot + ".png"), 2000);
        Document dom = page.dom();
        assertNotNull(dom.getElementById("view"), "the page has no main view: " + dom.outerHtml());
        assertEquals(List.of(), page.console(), "console messages on " + fragment);
        assertNotEquals("loading", dom.getElementById("view").attr("data-state"),
                "the dashboard's modules never ran (is every import served? see DashboardFilesTest)");
        return dom;
    }

    static Element view(Document dom, String expectedState) {
        Element view = dom.getElementById("view");
        assertEquals(expectedState, view.attr("data-state"), () -> "view state; rendered:\n" + view.outerHtml());
        return view;
    }

    static Element one(Element root, String css) {
        Element found = root.selectFirst(css);
        assertNotNull(found, () -> "no element " + css + " in:\n" + root.outerHtml());
        return found;
    }

    static String grouped(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    @Test
    void keyInTheFragment_opensTheExperimentsList_withEveryExperimentsStatusAndWeights() {
        JsonNode experiments = admin.get("/experiments").expect(200).get("experiments");

        Element view = view(open("#key=" + ADMIN_KEY, "experiments"), "ready");

        assertEquals("#/experiments", view.attr("data-route"), "the key is taken off the address bar");
        assertEquals(3, experiments.size());
        assertEquals(experiments.size(), view.select("#experiments-table tbody tr").size());
        for (JsonNode e : experiments) {
            Element row = one(view, "tr[data-experiment=" + e.get("key").asText() + "]");
            assertEquals(e.get("status").asText(), one(row, "[data-status]").attr("data-status"));
            assertEquals("#/experiments/" + e.get("key").asText(), one(row, "a.key").attr("href"));
            for (JsonNode v : e.get("variants")) {
                Element chip = one(row, ".chip.variant[data-variant=" + v.get("key").asText() + "]");
                assertEquals(v.get("weight").asDouble(), Double.parseDouble(chip.attr("data-weight")), chip.outerHtml());
            }
        }
        assertEquals("current", one(view, "tr[data-experiment=ranker-three-way] .chip.variant.control").attr("data-variant"),
                "the control is marked apart from the treatments");
    }

    @Test
    void experimentPage_rendersTheResultsTheApiReports() {
        JsonNode results = admin.get("/experiments/" + Demo.EXPERIMENT + "/results").expect(200);
        JsonNode history = admin.get("/experiments/" + Demo.EXPERIMENT + "/history").expect(200).get("entries");

        Element view = view(open("#/experiments/" + Demo.EXPERIMENT + "?key=" + ADMIN_KEY, "experiment"), "ready");

        long total = 0;
        for (JsonNode v : results.get("variants")) {
            Element row = one(view, "#variants-table tr[data-variant=" + v.get("key").asText() + "]");
            Element units = one(row, "td.units");
            assertEquals(v.get("units").asText(), units.attr("data-units"));
            assertEquals(grouped(v.get("units").asLong()), units.text());
            total += v.get("units").asLong();
        }
        assertEquals(USERS, total, "every simulated user is a unit");
        JsonNode rate = results.get("variants").get(0).get("metrics").get("purchase").get("rate");
        assertEquals(String.format(Locale.ROOT, "%.2f%%", rate.asDouble() * 100),
                one(view, "#variants-table tr[data-variant=control] td[data-metric=purchase] .value").text());

        JsonNode recommendation = results.get("recommendation");
        String decision = recommendation.get("decision").asText();
        Element card = one(view, "#recommendation");
        assertEquals(decision, card.attr("data-decision"));
        assertEquals(DECISION_LABELS.get(decision), one(card, ".decision-label").text());
        List<String> reasons = new ArrayList<>();
        recommendation.get("reasons").forEach(r -> reasons.add(r.asText()));
        assertEquals(reasons, card.select(".reasons li").eachText());

        assertFalse(results.get("srm").get("mismatch").asBoolean(), "a hashed 50/50 split has no SRM");
        assertEquals("false", one(view, "#srm").attr("data-mismatch"));
        assertEquals("No mismatch", one(view, "#srm .srm-status .badge").text());
        assertTrue(view.select("#srm-alert").isEmpty());

        int treatments = results.get("variants").size() - 1;
        for (JsonNode m : admin.get("/experiments/" + Demo.EXPERIMENT).expect(200).get("metrics")) {
            Element metric = one(view, "article[data-metric=" + m.get("key").asText() + "]");
            Element values = one(metric, "svg.ci-chart");
            assertEquals(results.get("variants").size(), values.select("g.row circle.point").size(), metric.outerHtml());
            assertEquals(results.get("variants").size(), values.select("g.row line.interval").size());
            assertEquals(treatments, one(metric, "svg.lift-chart").select("g.row line.interval").size());
            assertEquals(1, metric.select("svg.lift-chart line.zero").size(), "the line of no difference");
        }
        for (JsonNode c : results.get("comparisons")) {
            Element row = one(view, "article[data-metric=" + c.get("metric").asText() + "] table.comparisons tr[data-variant="
                    + c.get("variant").asText() + "]");
            assertEquals(c.get("outcome").asText(), row.attr("data-outcome"));
            assertEquals(c.get("significant").asBoolean() ? "yes" : "no", one(row, "td.significant").text());
            assertEquals(c.get("test").asText(), one(row, "td.decision-ci").attr("title"));
            assertEquals(c.get("adjustedCi").isNull(), one(row, "td.decision-ci").text().isEmpty(), row.outerHtml());
        }
        assertTrue(one(view, "table.comparisons thead").text().contains("Adjusted p (Holm)"),
                "the experiment's multiple-testing adjustment is named");

        assertEquals(history.size(), view.select("#history-table tbody tr").size());
        assertEquals(1, view.select("#history-table tr[data-action=start]").size());
    }

    @Test
    void sampleRatioMismatch_isShownProminently_andTheDecisionIsInvalid() {
        JsonNode srm = admin.get("/experiments/" + SRM_EXPERIMENT + "/results").expect(200).get("srm");

        Element view = view(open("#/experiments/" + SRM_EXPERIMENT + "?key=" + ADMIN_KEY, "srm"), "ready");

        assertTrue(srm.get("mismatch").asBoolean(), srm.toString());
        assertTrue(one(view, "#srm-alert").text().startsWith("Sample ratio mismatch"), view.outerHtml());
        assertTrue(one(view, "#srm-alert").hasClass("bad"));
        assertTrue(one(view, "#srm-alert").siblingIndex() < one(view, ".cards").siblingIndex(),
                "the warning comes before every result");
        assertEquals("true", one(view, "#srm").attr("data-mismatch"));
        assertEquals("Mismatch", one(view, "#srm .srm-status .badge").text());
        assertEquals(List.of("variant-b", String.valueOf(SRM_UNITS), "20"),
                one(view, "#srm tbody tr:has(th:contains(variant-b))").select("th, td").eachText());
        assertEquals("invalid", one(view, "#recommendation").attr("data-decision"));
    }

    @Test
    void noKey_showsTheKeyForm() {
        Element view = view(open("", "signin"), "signin");

        assertNotNull(view.getElementById("key-form"));
        assertEquals("password", one(view, "#key-input").attr("type"));
        assertTrue(view.select("#auth-error").isEmpty());
    }

    @Test
    void wrongKey_saysTheApiRefusedIt_andShowsTheFormAgain() {
        Element view = view(open("#key=not-the-admin-key", "wrong-key"), "unauthorized");

        assertTrue(one(view, "#auth-error").text().contains("403 forbidden"), view.outerHtml());
        assertNotNull(view.getElementById("key-form"));
    }

    @Test
    void unknownExperiment_isReportedAsNotFound() {
        Element view = view(open("#/experiments/no-such-thing?key=" + ADMIN_KEY, "not-found"), "ready");

        assertEquals("No experiment “no-such-thing”", one(view, "[data-not-found=no-such-thing] h1").text());
    }

    @Test
    void holdoutsList_showsEachHoldoutsStatusPercentAndUnitsPerArm() {
        JsonNode results = admin.get("/holdouts/q1-holdout/results").expect(200);

        Element view = view(open("#/holdouts?key=" + ADMIN_KEY, "holdouts"), "ready");

        assertEquals(2, view.select("#holdouts-table tbody tr").size());
        Element running = one(view, "tr[data-holdout=q1-holdout]");
        assertEquals("running", one(running, "[data-status]").attr("data-status"));
        assertEquals("12.5 %", running.select("td.num").get(0).text());
        for (JsonNode variant : results.get("variants")) {
            assertEquals(grouped(variant.get("units").asLong()),
                    one(running, "[data-arm=" + variant.get("key").asText() + "]").text());
        }
        assertEquals("draft", one(view, "tr[data-holdout=q2-holdout] [data-status]").attr("data-status"));
        assertEquals("q2", one(view, "tr[data-holdout=q2-holdout] code").text());
    }

    @Test
    void rolloutsList_showsEachRolloutsStatusAndPercent() {
        JsonNode rollouts = admin.get("/rollouts").expect(200).get("rollouts");

        Element view = view(open("#/rollouts?key=" + ADMIN_KEY, "rollouts"), "ready");

        assertEquals(3, rollouts.size());
        assertEquals(rollouts.size(), view.select("#rollouts-table tbody tr").size());
        for (JsonNode r : rollouts) {
            Element row = one(view, "tr[data-rollout=" + r.get("key").asText() + "]");
            assertEquals(r.get("status").asText(), one(row, "[data-status]").attr("data-status"));
            assertEquals(r.get("percent").asText(), one(row, ".percent").attr("data-percent"));
            assertEquals(r.get("percent").asInt() + "%", one(row, ".percent-value").text());
            assertEquals(r.get("lastDecision").get("decision").asText(), one(row, ".badge.decision").text());
        }
        assertEquals(List.of("completed", "rolled_back", "in_progress"), List.of(
                one(view, "tr[data-rollout=" + HEALTHY_ROLLOUT + "] [data-status]").attr("data-status"),
                one(view, "tr[data-rollout=" + FAILING_ROLLOUT + "] [data-status]").attr("data-status"),
                one(view, "tr[data-rollout=" + LIVE_ROLLOUT + "] [data-status]").attr("data-status")));
    }

    @Test
    void rolloutPage_drawsThePercentTimelineFromItsHistory() {
        JsonNode rollout = admin.get("/rollouts/" + HEALTHY_ROLLOUT).expect(200);
        JsonNode entries = admin.get("/rollouts/" + HEALTHY_ROLLOUT + "/history").expect(200).get("entries");

        Element view = view(open("#/rollouts/" + HEALTHY_ROLLOUT + "?key=" + ADMIN_KEY, "rollout"), "ready");

        assertEquals("completed", one(view, "h1 [data-status]").attr("data-status"));
        assertEquals("100%", one(view, "#rollout-percent .big").text());
        Element timeline = one(view, "svg.timeline");
        List<String> decisions = new ArrayList<>();
        entries.forEach(e -> decisions.add(e.get("decision").asText()));
        // the two baking holds at 25 % are one entry that counts them
        assertEquals(List.of("manual", "manual", "advance", "hold", "advance", "hold", "advance", "complete"), decisions);
        assertEquals(2, entries.get(3).get("count").asInt(), entries.get(3).toString());
        assertEquals(decisions, timeline.select("circle.pt").eachAttr("data-decision"), "one point per entry, in time order");
        assertEquals(1, timeline.select("path.step").size());
        assertEquals(entries.size(), view.select("#history-table tbody tr").size());
        assertEquals(List.of("×2"), view.select("#history-table .count").eachText());
        assertEquals(List.of("done", "done", "done", "done"), view.select("#stages li.stage").eachAttr("class").stream()
                .map(c -> c.replace("stage ", "")).toList());
        assertEquals(rollout.get("lastDecision").get("reason").asText(), one(view, "#last-decision .reason").text());
    }

    @Test
    void headerTabs_leadToEachList_andMarkTheSectionOfTheOpenPage() {
        Element tabs = one(open("#/rollouts/" + LIVE_ROLLOUT + "?key=" + ADMIN_KEY, "live-rollout"), "nav.tabs");

        assertEquals(List.of("Experiments", "Rollouts", "Holdouts"), tabs.select("a").eachText());
        assertEquals(List.of("#/experiments", "#/rollouts", "#/holdouts"), tabs.select("a").eachAttr("href"));
        assertEquals(List.of("nav-rollouts"), tabs.select("a[aria-current=page]").eachAttr("id"));
        assertEquals("in_progress", one(view(tabs.ownerDocument(), "ready"), "h1 [data-status]").attr("data-status"));
    }

    @Test
    void rolledBackRollout_saysWhyProminently() {
        JsonNode rollout = admin.get("/rollouts/" + FAILING_ROLLOUT).expect(200);

        Element view = view(open("#/rollouts/" + FAILING_ROLLOUT + "?key=" + ADMIN_KEY, "rollback"), "ready");

        assertEquals("rolled_back", rollout.get("status").asText());
        String reason = rollout.get("lastDecision").get("reason").asText();
        assertTrue(reason.contains("checkout-errors"), reason);
        assertEquals("Rolled back. " + reason, one(view, "#rollback-alert").text());
        assertEquals("0%", one(view, "#rollout-percent .big").text());
        assertEquals(1, view.select("svg.timeline circle.pt[data-decision=rollback]").size());
        assertEquals("stage failed", one(view, "#stages li[data-stage=1]").attr("class"));
        assertEquals(1, view.select("#history-table tr[data-decision=rollback] details pre").size(), "the figures behind it");
    }
}
