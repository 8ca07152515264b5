package io.splitline.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import io.splitline.targeting.Condition;
import io.splitline.targeting.Operator;
import java.util.Set;

/**
 * Splitline targeting as a GrowthBook condition with the same meaning for every attribute map that
 * {@code POST /assign} accepts (string, finite number and boolean values), as evaluated by
 * GrowthBook's JavaScript SDK ({@code evalCondition}).
 *
 * <ul>
 *   <li>{@code all}/{@code any}/{@code not} → {@code $and}/{@code $or}/{@code $not}; an empty
 *       {@code any} (false in Splitline, {@code $or: []} is true in GrowthBook) → {@code {"$not": {}}};</li>
 *   <li>{@code eq}/{@code neq}/{@code in}/{@code not_in} → {@code $eq}/{@code $ne}/{@code $in}/{@code $nin}
 *       (strict equality in both: the string "42" is not the number 42);</li>
 *   <li>{@code gt}/{@code gte}/{@code lt}/{@code lte} → the same operator with {@code $type: "number"}
 *       (JavaScript's {@code <} would compare "5" with 10);</li>
 *   <li>{@code regex} → {@code $regex} with {@code $type: "string"} (GrowthBook would test
 *       {@code String(value)}), the source rewritten by {@link JsRegex};</li>
 *   <li>semver operators → {@code $regex} built by {@link SemverRegex} (GrowthBook's {@code $vgt}
 *       orders versions differently);</li>
 *   <li>{@code exists} → {@code $exists}.</li>
 * </ul>
 * Attribute names are paths to GrowthBook ({@code a.b} reads {@code attributes.a.b}), a leading
 * {@code $} makes an operator, JavaScript's {@code in} sees inherited properties such as
 * {@code constructor}, and {@code id} carries the unit id: such names are {@link NotExpressible}.
 */
final class GrowthBookCondition {
    /** The attribute the payload hashes: the app passes the unit id under this name. */
    static final String HASH_ATTRIBUTE = "id";
    /** Names every JavaScript object has through its prototype: GrowthBook's {@code in} finds them on any attribute map. */
    private static final Set<String> INHERITED = Set.of("constructor", "__proto__", "hasOwnProperty", "isPrototypeOf",
            "propertyIsEnumerable", "toLocaleString", "toString", "valueOf", "__defineGetter__", "__defineSetter__",
            "__lookupGetter__", "__lookupSetter__");

    private GrowthBookCondition() {
    }

    /** The GrowthBook condition for a rule; throws {@link NotExpressible} when there is none with the same meaning. */
    static ObjectNode of(Condition condition) {
        ObjectNode node = Json.object();
        if (condition instanceof Condition.All all) {
            ArrayNode and = node.putArray("$and");
            all.conditions().forEach(c -> and.add(of(c)));
        } else if (condition instanceof Condition.Any any) {
            if (any.conditions().isEmpty()) {
                node.putObject("$not"); // {"$or": []} would match everyone
            } else {
                ArrayNode or = node.putArray("$or");
                any.conditions().forEach(c -> or.add(of(c)));
            }
        } else if (condition instanceof Condition.Not not) {
            node.set("$not", of(not.condition()));
        } else {
            Condition.Compare c = (Condition.Compare) condition;
            node.set(attribute(c.attribute()), comparison(c));
        }
        return node;
    }

    private static String attribute(String name) {
        if (name.equals(HASH_ATTRIBUTE)) {
            throw new NotExpressible("targeting on attribute 'id': the payload passes the unit id under that name");
        }
        if (name.contains(".")) {
            throw new NotExpressible("attribute name '" + name + "' contains '.', which GrowthBook reads as a path");
        }
        if (name.startsWith("$")) {
            throw new NotExpressible("attribute name '" + name + "' starts with '$', which GrowthBook reads as an operator");
        }
        if (INHERITED.contains(name)) {
            throw new NotExpressible("attribute name '" + name + "' is inherited by every JavaScript object, so GrowthBook finds it on any unit");
        }
        return name;
    }

    private static ObjectNode comparison(Condition.Compare c) {
        ObjectNode ops = Json.object();
        JsonNode first = value(c.values().get(0));
        switch (c.op()) {
            case EQ -> ops.set("$eq", first);
            case NEQ -> ops.set("$ne", first);
            case IN, NOT_IN -> {
                ArrayNode values = ops.putArray(c.op() == Operator.IN ? "$in" : "$nin");
                c.values().forEach(v -> values.add(value(v)));
            }
            case GT, GTE, LT, LTE -> {
                ops.put("$type", "number");
                ops.set("$" + c.op().json(), first);
            }
            case REGEX -> {
                ops.put("$type", "string");
                ops.put("$regex", JsRegex.translate((String) c.values().get(0)));
            }
            case SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE -> {
                ops.put("$type", "string");
                ops.put("$regex", SemverRegex.of(c.op(), c.semver()));
            }
            case EXISTS -> ops.put("$exists", (Boolean) c.values().get(0));
        }
        return ops;
    }

    /** Numbers are written as doubles: JavaScript has one number type, and 2.0 === 2 there. */
    private static JsonNode value(Object v) {
        return Json.MAPPER.valueToTree(v);
    }
}
