package io.splitline.notify.watch;

import io.splitline.json.JsonObjectBuilder;
import io.splitline.notify.Notification;
import io.splitline.results.ExperimentResults;

/**
 * The notifications about what an experiment's results show (docs/notifications.md), sent by {@link ExperimentWatch}.
 */
public final class ResultsNotifications {
    private ResultsNotifications() {
    }

    /** A sample ratio mismatch was found (sent once per episode). */
    public static Notification srmDetected(ExperimentResults results) {
        JsonObjectBuilder detail = evaluated(results);
        ExperimentResults.SrmCheck srm = results.srm();
        detail.put("pValue", srm.pValue());
        detail.put("statistic", srm.statistic());
        detail.putNumbers("observed", srm.observed());
        detail.putNumbers("expected", srm.expected());
        return new Notification(Notification.SRM_DETECTED, results.computedAt(), detail.build());
    }

    /** A treatment's comparison on the primary metric became significant. */
    public static Notification primaryMetricSignificant(ExperimentResults results, ExperimentResults.Comparison c) {
        return new Notification(Notification.PRIMARY_METRIC_SIGNIFICANT, results.computedAt(), comparison(results, c).build());
    }

    /** A treatment became significantly worse on a guardrail metric. */
    public static Notification guardrailBreached(ExperimentResults results, ExperimentResults.Comparison c) {
        return new Notification(Notification.GUARDRAIL_BREACHED, results.computedAt(), comparison(results, c).build());
    }

    /** The recommendation is not what it was at the previous evaluation. */
    public static Notification recommendationChanged(ExperimentResults results, String from) {
        JsonObjectBuilder detail = evaluated(results);
        ExperimentResults.Recommendation r = results.recommendation();
        detail.put("from", from);
        detail.put("to", r.decision().json());
        detail.put("variant", r.variant());
        detail.putStrings("reasons", r.reasons());
        return new Notification(Notification.RECOMMENDATION_CHANGED, results.computedAt(), detail.build());
    }

    private static JsonObjectBuilder evaluated(ExperimentResults results) {
        JsonObjectBuilder detail = new JsonObjectBuilder();
        detail.put("experiment", results.key());
        detail.put("at", results.computedAt().toString());
        return detail;
    }

    private static JsonObjectBuilder comparison(ExperimentResults results, ExperimentResults.Comparison c) {
        JsonObjectBuilder detail = evaluated(results);
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
