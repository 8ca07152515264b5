package io.splitline.sdk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.definitions.DefinitionSnapshot;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.Namespace;
import io.splitline.experiment.Variant;
import io.splitline.holdout.Holdout;
import io.splitline.json.Json;
import io.splitline.json.JsonValues;
import io.splitline.rollout.Rollout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /sdk/payload}: the running experiments and active rollouts in GrowthBook's features
 * format, so that an app evaluates them in process with a GrowthBook SDK and gets the answer
 * {@code POST /assign} would give (docs/sdk.md has the mapping).
 *
 * <p>Each definition becomes a feature named by its key. An experiment's feature has one force rule
 * per overridden variant (ahead, as overrides win over everything in Splitline) and one experiment
 * rule: seed and key the experiment key, {@code hashVersion 2}, the variants' weights and configs, the
 * coverage, the namespace and the targeting ({@link GrowthBookCondition}). A rollout's feature is an
 * experiment rule over {@code [false, true]} (control, treatment) whose explicit {@code ranges} put
 * treatment at {@code [0, percent/100)}, as {@code RolloutArms} does; weights and coverage alone
 * cannot, with control first. A definition that respects a running holdout gets the {@link HoldoutRule}
 * ahead of its experiment or rollout rule. A definition GrowthBook cannot express exactly is listed under
 * {@code omitted} with the reason instead.
 *
 * @param body the payload
 * @param etag its strong entity tag (quoted SHA-256 prefix of the serialised body)
 */
public record SdkPayload(ObjectNode body, String etag) {

    /** The payload of one definitions snapshot. */
    public static SdkPayload of(DefinitionSnapshot snapshot) {
        ObjectNode body = Json.object();
        ObjectNode features = body.putObject("features");
        ArrayNode omitted = body.putArray("omitted");
        Map<String, ObjectNode> byKey = new TreeMap<>();
        Map<String, String> reasons = new TreeMap<>();
        snapshot.runningExperiments().forEach((key, experiment) -> {
            try {
                byKey.put(key, experimentFeature(experiment.spec(), snapshot.runningHoldout(experiment.spec().holdout())));
            } catch (NotExpressible e) {
                reasons.put(key, e.getMessage());
            }
        });
        snapshot.rollouts().forEach((key, rollout) -> {
            if (DefinitionSnapshot.isActive(rollout)) {
                byKey.put(key, rolloutFeature(rollout, snapshot.runningHoldout(rollout.spec().holdout())));
            }
        });
        byKey.forEach(features::set);
        reasons.forEach((key, reason) -> omitted.addObject().put("key", key).put("reason", reason));
        String json = Json.write(body);
        return new SdkPayload(body, etag(json));
    }

    private static ObjectNode experimentFeature(ExperimentSpec spec, Optional<Holdout> holdout) {
        ObjectNode feature = Json.object();
        feature.putNull("defaultValue"); // outside the experiment: no config, the app's default experience
        ArrayNode rules = feature.putArray("rules");
        Map<String, List<String>> overridden = new LinkedHashMap<>();
        spec.overrides().forEach((unit, variant) -> overridden.computeIfAbsent(variant, v -> new ArrayList<>()).add(unit));
        List<Variant> variants = spec.variants();
        ObjectNode experiment = experimentRule(spec);
        for (int i = 0; i < variants.size(); i++) {
            List<String> units = overridden.get(variants.get(i).key());
            if (units != null) {
                rules.add(overrideRule(spec.key(), experiment, i, variants.get(i), units));
            }
        }
        holdout.ifPresent(h -> rules.add(HoldoutRule.forExperiment(h, spec, experiment)));
        rules.add(experiment);
        return feature;
    }

    private static ObjectNode experimentRule(ExperimentSpec spec) {
        ObjectNode rule = Json.object();
        rule.put("id", "experiment");
        rule.put("key", spec.key());
        ArrayNode variations = rule.putArray("variations");
        ArrayNode weights = rule.putArray("weights");
        ArrayNode meta = rule.putArray("meta");
        for (Variant v : spec.variants()) {
            variations.add(v.config() == null ? Json.MAPPER.nullNode() : JsonValues.node(v.config()));
            weights.add(v.weight());
            meta.addObject().put("key", v.key());
        }
        rule.put("coverage", spec.coverage());
        hashing(rule, spec.key());
        Namespace ns = spec.namespace();
        if (ns != null) {
            rule.putArray("namespace").add(ns.name()).add(ns.start()).add(ns.end());
        }
        if (spec.targeting() != null) {
            rule.set("condition", GrowthBookCondition.of(spec.targeting()));
        }
        return rule;
    }

    /**
     * A force rule for the units overridden to one variant. Its {@code tracks} make the SDK call the
     * app's {@code trackingCallback} as for a hashed unit (Splitline counts overridden units too); the
     * tracked result carries no hash value, so the callback must take the unit id from the app's own
     * attributes.
     */
    private static ObjectNode overrideRule(String key, ObjectNode experiment, int index, Variant variant, List<String> units) {
        ObjectNode rule = Json.object();
        rule.put("id", "override:" + variant.key());
        ArrayNode in = rule.putObject("condition").putObject(GrowthBookCondition.HASH_ATTRIBUTE).putArray("$in");
        units.forEach(in::add);
        rule.set("force", experiment.get("variations").get(index));
        ObjectNode track = rule.putArray("tracks").addObject();
        ObjectNode tracked = track.putObject("experiment");
        tracked.put("key", key);
        tracked.set("variations", experiment.get("variations"));
        tracked.set("meta", experiment.get("meta"));
        tracked.put("hashAttribute", GrowthBookCondition.HASH_ATTRIBUTE);
        ObjectNode result = track.putObject("result");
        result.put("key", variant.key());
        result.put("variationId", index);
        result.set("value", experiment.get("variations").get(index));
        result.put("inExperiment", true);
        result.put("hashUsed", false);
        result.put("hashAttribute", GrowthBookCondition.HASH_ATTRIBUTE);
        result.put("hashValue", "");
        return rule;
    }

    private static ObjectNode rolloutFeature(Rollout rollout, Optional<Holdout> holdout) {
        ObjectNode feature = Json.object();
        feature.put("defaultValue", false);
        ArrayNode rules = feature.putArray("rules");
        holdout.ifPresent(h -> rules.add(HoldoutRule.forRollout(h)));
        ObjectNode rule = rules.addObject();
        rule.put("id", "rollout");
        rule.put("key", rollout.key());
        rule.putArray("variations").add(false).add(true);
        double share = rollout.percent() / 100.0;
        rule.putArray("weights").add(1 - share).add(share);
        rule.put("coverage", 1.0);
        ArrayNode ranges = rule.putArray("ranges");
        ranges.addArray().add(share).add(1.0);
        ranges.addArray().add(0.0).add(share);
        hashing(rule, rollout.key());
        rule.putArray("meta").add(Json.object().put("key", Rollout.CONTROL)).add(Json.object().put("key", Rollout.TREATMENT));
        return feature;
    }

    private static void hashing(ObjectNode rule, String seed) {
        rule.put("hashAttribute", GrowthBookCondition.HASH_ATTRIBUTE);
        rule.put("hashVersion", 2);
        rule.put("seed", seed);
    }

    private static String etag(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** Whether an {@code If-None-Match} header names this payload (weak comparison, as RFC 9110 asks for it). */
    public boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
