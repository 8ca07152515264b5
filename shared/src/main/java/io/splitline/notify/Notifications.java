package io.splitline.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.experiment.Experiment;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutDecision;
import io.splitline.store.DefinitionKind;
import java.time.Instant;

/**
 * Makes every {@link Notification} Splitline publishes, so each detail-type has one documented shape
 * (docs/notifications.md). Every detail names its definition ({@code "experiment": key} or
 * {@code "rollout": key}) so that a rule can filter on it.
 */
public final class Notifications {
    private Notifications() {
    }

    /** An experiment started or completed (by an operator or the scheduler). */
    public static Notification experimentMoved(String detailType, Experiment e, String actor) {
        ObjectNode detail = Json.object();
        detail.put("experiment", e.key());
        detail.put("description", e.spec().description());
        detail.put("status", e.status().json());
        detail.put("version", e.version());
        detail.put("actor", actor);
        detail.put("at", e.updatedAt().toString());
        return new Notification(detailType, e.updatedAt(), detail);
    }

    /** The scheduler took an action on a definition, at {@code at}, that was scheduled for {@code scheduledFor}. */
    public static Notification scheduledActionTaken(DefinitionKind kind, String key, String action, Instant scheduledFor,
                                                    Instant at) {
        ObjectNode detail = Json.object();
        detail.put(kind.label(), key);
        detail.put("action", action);
        detail.put("scheduledFor", scheduledFor.toString());
        detail.put("at", at.toString());
        return new Notification(Notification.SCHEDULED_ACTION_TAKEN, at, detail);
    }

    /** A sample ratio mismatch was found (sent once per episode). */
    public static Notification srmDetected(ExperimentResults results) {
        ObjectNode detail = evaluated(results);
        ExperimentResults.SrmCheck srm = results.srm();
        detail.put("pValue", srm.pValue());
        detail.put("statistic", srm.statistic());
        detail.set("observed", Json.MAPPER.valueToTree(srm.observed()));
        detail.set("expected", Json.MAPPER.valueToTree(srm.expected()));
        return new Notification(Notification.SRM_DETECTED, results.computedAt(), detail);
    }

    /** A treatment's comparison on the primary metric became significant. */
    public static Notification primaryMetricSignificant(ExperimentResults results, ExperimentResults.Comparison c) {
        return new Notification(Notification.PRIMARY_METRIC_SIGNIFICANT, results.computedAt(), comparison(results, c));
    }

    /** A treatment became significantly worse on a guardrail metric. */
    public static Notification guardrailBreached(ExperimentResults results, ExperimentResults.Comparison c) {
        return new Notification(Notification.GUARDRAIL_BREACHED, results.computedAt(), comparison(results, c));
    }

    /** The recommendation is not what it was at the previous evaluation. */
    public static Notification recommendationChanged(ExperimentResults results, String from) {
        ObjectNode detail = evaluated(results);
        ExperimentResults.Recommendation r = results.recommendation();
        detail.put("from", from);
        detail.put("to", r.decision().json());
        detail.put("variant", r.variant());
        detail.set("reasons", Json.MAPPER.valueToTree(r.reasons()));
        return new Notification(Notification.RECOMMENDATION_CHANGED, results.computedAt(), detail);
    }

    /**
     * A rollout's decision ({@code rollout} is the stored version after it): stage advanced, completed,
     * paused, rolled back or aborted.
     */
    public static Notification rollout(String detailType, Rollout rollout) {
        RolloutDecision d = rollout.lastDecision();
        ObjectNode detail = Json.object();
        detail.put("rollout", rollout.key());
        detail.put("description", rollout.spec().description());
        detail.put("status", rollout.status().json());
        detail.put("version", rollout.version());
        detail.put("stageIndex", rollout.stageIndex());
        detail.put("fromPercent", d.fromPercent());
        detail.put("percent", rollout.percent());
        detail.put("actor", d.actor());
        detail.put("at", d.at().toString());
        detail.put("reason", d.reason());
        detail.set("observations", d.observations());
        return new Notification(detailType, d.at(), detail);
    }

    private static ObjectNode evaluated(ExperimentResults results) {
        ObjectNode detail = Json.object();
        detail.put("experiment", results.key());
        detail.put("at", results.computedAt().toString());
        return detail;
    }

    private static ObjectNode comparison(ExperimentResults results, ExperimentResults.Comparison c) {
        ObjectNode detail = evaluated(results);
        detail.put("metric", c.metric());
        detail.put("role", c.role().json());
        detail.put("variant", c.variant());
        detail.put("outcome", c.outcome().json());
        detail.put("absoluteLift", c.absoluteLift());
        if (c.relativeLift() != null) {
            detail.put("relativeLift", c.relativeLift());
        }
        detail.put("adjustedPValue", c.adjustedPValue());
        detail.put("confidenceLevel", results.confidenceLevel());
        return detail;
    }
}
