package io.splitline.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.assignment.BucketRange;
import io.splitline.assignment.Bucketing;
import io.splitline.assignment.ExperimentAssigner;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Namespace;
import io.splitline.holdout.Holdout;
import io.splitline.holdout.HoldoutSpec;
import io.splitline.json.Json;

/**
 * The force rule that keeps a running holdout's units out of a definition in the payload, placed after the
 * override rules and ahead of the experiment or rollout rule, as {@code HoldoutGate} acts after overrides:
 * <ul>
 *   <li>{@code range: [0, share]} on {@code hashVersion 2} with the holdout's {@code seed}: GrowthBook
 *       includes the unit iff {@code share > hash ≥ 0}, Splitline's membership rule;</li>
 *   <li>only units the definition would put in by hash are held out, so the rule also carries the
 *       experiment's {@code condition} and {@code filters} that require the unit inside the namespace
 *       (hash v1, seed {@code "__" + name}) and, below full coverage, inside a variant's bucket range
 *       (hash v2, seed the experiment key);</li>
 *   <li>{@code force} is the value a unit outside gets (the feature's {@code defaultValue}: the control
 *       experience), and {@code tracks} report the unit to the app's {@code trackingCallback} as an
 *       exposure of the holdout's key in its {@code holdout} arm.</li>
 * </ul>
 */
final class HoldoutRule {
    /** The prefix of the rule id; the rest is the holdout's key. */
    static final String ID_PREFIX = "holdout:";

    private HoldoutRule() {
    }

    /** The rule for an experiment; {@code experimentRule} is the one it precedes (its condition is shared). */
    static ObjectNode forExperiment(Holdout holdout, ExperimentSpec spec, ObjectNode experimentRule) {
        ObjectNode rule = rule(holdout, Json.MAPPER.nullNode());
        if (experimentRule.has("condition")) {
            rule.set("condition", experimentRule.get("condition"));
        }
        ArrayNode filters = Json.MAPPER.createArrayNode();
        Namespace ns = spec.namespace();
        if (ns != null) {
            ArrayNode ranges = filter(filters, Bucketing.namespaceSeed(ns.name()), 1);
            ranges.addArray().add(ns.start()).add(ns.end());
        }
        if (spec.coverage() < 1) {
            ArrayNode ranges = filter(filters, spec.key(), 2);
            for (BucketRange r : ExperimentAssigner.ranges(spec)) {
                ranges.addArray().add(r.start()).add(r.end());
            }
        }
        if (!filters.isEmpty()) {
            rule.set("filters", filters);
        }
        return rule;
    }

    /** The rule for an active rollout: every unit is in it, so the range alone decides. */
    static ObjectNode forRollout(Holdout holdout) {
        return rule(holdout, Json.MAPPER.getNodeFactory().booleanNode(false));
    }

    private static ObjectNode rule(Holdout holdout, JsonNode force) {
        HoldoutSpec spec = holdout.spec();
        ObjectNode rule = Json.object();
        rule.put("id", ID_PREFIX + spec.key());
        rule.set("force", force);
        rule.put("hashAttribute", GrowthBookCondition.HASH_ATTRIBUTE);
        rule.put("hashVersion", 2);
        rule.put("seed", spec.seed());
        rule.putArray("range").add(0.0).add(spec.share());
        ObjectNode track = rule.putArray("tracks").addObject();
        ObjectNode tracked = track.putObject("experiment");
        tracked.put("key", spec.key());
        tracked.putArray("variations").add(force).add(force);
        tracked.putArray("meta").add(Json.object().put("key", HoldoutSpec.HOLDOUT)).add(Json.object().put("key", HoldoutSpec.GENERAL));
        tracked.put("hashAttribute", GrowthBookCondition.HASH_ATTRIBUTE);
        ObjectNode result = track.putObject("result");
        result.put("key", HoldoutSpec.HOLDOUT);
        result.put("variationId", 0);
        result.set("value", force);
        result.put("inExperiment", true);
        result.put("hashUsed", true);
        result.put("hashAttribute", GrowthBookCondition.HASH_ATTRIBUTE);
        result.put("hashValue", "");
        return rule;
    }

    /** Adds a filter on the unit id and answers its (empty) ranges. */
    private static ArrayNode filter(ArrayNode filters, String seed, int hashVersion) {
        ObjectNode filter = filters.addObject();
        filter.put("seed", seed);
        filter.put("hashVersion", hashVersion);
        filter.put("attribute", GrowthBookCondition.HASH_ATTRIBUTE);
        return filter.putArray("ranges");
    }
}
