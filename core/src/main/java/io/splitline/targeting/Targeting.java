package io.splitline.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Fields;
import io.splitline.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes targeting rules in their API form. A rule is either a combinator
 * ({@code {"all": [...]}}, {@code {"any": [...]}}, {@code {"not": {...}}}) or a comparison
 * ({@code {"attribute": "country", "op": "in", "values": ["DE", "FR"]}}).
 */
public final class Targeting {
    /** Rules nest at most this deep and have at most {@link #MAX_NODES} nodes: assignment stays cheap. */
    public static final int MAX_DEPTH = 8;
    public static final int MAX_NODES = 100;
    static final int MAX_ATTRIBUTE_LENGTH = 64;
    static final int MAX_STRING_LENGTH = 256;

    private Targeting() {
    }

    /** Parses and validates a rule; every error names the JSON path at fault. */
    public static Condition parse(JsonNode node, String path) {
        return parse(node, path, 1, new Budget());
    }

    /** What the rest of a rule being parsed may still use. */
    private static final class Budget {
        private int nodes = MAX_NODES;
        private int regexProgram = TargetingRegex.MAX_PROGRAM;
    }

    private static Condition parse(JsonNode node, String path, int depth, Budget budget) {
        if (depth > MAX_DEPTH) {
            throw new InvalidFieldException(path, "targeting nests deeper than " + MAX_DEPTH + " levels");
        }
        if (--budget.nodes < 0) {
            throw new InvalidFieldException(path, "targeting has more than " + MAX_NODES + " conditions");
        }
        Fields f = Fields.of(node, path);
        if (f.has("all") || f.has("any")) {
            String name = f.has("all") ? "all" : "any";
            f.allowOnly(Set.of(name));
            List<Condition> children = new ArrayList<>();
            for (Fields.Element e : f.array(name)) {
                children.add(parse(e.value(), e.path(), depth + 1, budget));
            }
            return name.equals("all") ? new Condition.All(children) : new Condition.Any(children);
        }
        if (f.has("not")) {
            f.allowOnly(Set.of("not"));
            return new Condition.Not(parse(f.raw("not"), f.path("not"), depth + 1, budget));
        }
        return parseComparison(f, budget);
    }

    private static Condition.Compare parseComparison(Fields f, Budget budget) {
        f.allowOnly(Set.of("attribute", "op", "value", "values"));
        String attribute = f.string("attribute");
        if (attribute.isEmpty() || attribute.length() > MAX_ATTRIBUTE_LENGTH) {
            throw new InvalidFieldException(f.path("attribute"),
                    f.path("attribute") + " must be 1-" + MAX_ATTRIBUTE_LENGTH + " characters");
        }
        String opName = f.string("op");
        Operator op = Operator.fromJson(opName).orElseThrow(() -> new InvalidFieldException(f.path("op"),
                "unknown operator '" + opName + "'; use one of eq, neq, in, not_in, gt, gte, lt, lte, "
                        + "semver_gt, semver_gte, semver_lt, semver_lte, regex, exists"));
        if (op.isSet()) {
            if (f.has("value")) {
                throw new InvalidFieldException(f.path("value"), "operator " + opName + " takes 'values', not 'value'");
            }
            List<Object> values = new ArrayList<>();
            for (Fields.Element e : f.array("values")) {
                values.add(scalar(e.value(), e.path()));
            }
            if (values.isEmpty()) {
                throw new InvalidFieldException(f.path("values"), f.path("values") + " must not be empty");
            }
            return new Condition.Compare(attribute, op, values, null, null);
        }
        if (f.has("values")) {
            throw new InvalidFieldException(f.path("values"), "operator " + opName + " takes 'value', not 'values'");
        }
        if (op == Operator.EXISTS) {
            boolean present = f.optionalBoolean("value").orElse(true);
            return new Condition.Compare(attribute, op, List.of(present), null, null);
        }
        if (!f.has("value")) {
            throw new InvalidFieldException(f.path("value"), f.path("value") + " is required for operator " + opName);
        }
        JsonNode raw = f.raw("value");
        String valuePath = f.path("value");
        if (op.isNumeric()) {
            return new Condition.Compare(attribute, op, List.of(Fields.requireFinite(raw, valuePath)), null, null);
        }
        if (op.isSemver()) {
            String text = string(raw, valuePath);
            SemanticVersion version = SemanticVersion.parse(text).orElseThrow(() -> new InvalidFieldException(valuePath,
                    valuePath + " must be a semantic version such as 2.3.0 (got '" + text + "')"));
            return new Condition.Compare(attribute, op, List.of(text), null, version);
        }
        if (op == Operator.REGEX) {
            String source = string(raw, valuePath);
            Pattern pattern = TargetingRegex.compile(source, valuePath, budget.regexProgram);
            budget.regexProgram -= pattern.programSize();
            return new Condition.Compare(attribute, op, List.of(source), pattern, null);
        }
        return new Condition.Compare(attribute, op, List.of(scalar(raw, valuePath)), null, null);
    }

    /** A rule value: a string, a finite number or a boolean. */
    private static Object scalar(JsonNode v, String path) {
        if (v.isTextual()) {
            return string(v, path);
        }
        if (v.isNumber()) {
            return Fields.requireFinite(v, path);
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        throw new InvalidFieldException(path, path + " must be a string, number or boolean");
    }

    private static String string(JsonNode v, String path) {
        if (!v.isTextual()) {
            throw new InvalidFieldException(path, path + " must be a string");
        }
        if (v.textValue().length() > MAX_STRING_LENGTH) {
            throw new InvalidFieldException(path, path + " must be at most " + MAX_STRING_LENGTH + " characters");
        }
        return v.textValue();
    }

    /** The API form of a rule; {@code parse(toJson(c))} equals {@code c}. */
    public static ObjectNode toJson(Condition condition) {
        ObjectNode node = Json.object();
        if (condition instanceof Condition.All all) {
            writeChildren(node.putArray("all"), all.conditions());
        } else if (condition instanceof Condition.Any any) {
            writeChildren(node.putArray("any"), any.conditions());
        } else if (condition instanceof Condition.Not not) {
            node.set("not", toJson(not.condition()));
        } else {
            Condition.Compare c = (Condition.Compare) condition;
            node.put("attribute", c.attribute());
            node.put("op", c.op().json());
            if (c.op().isSet()) {
                ArrayNode values = node.putArray("values");
                c.values().forEach(v -> values.add(valueNode(v)));
            } else {
                node.set("value", valueNode(c.values().get(0)));
            }
        }
        return node;
    }

    /** Whole numbers are written without a fraction, as the client most likely sent them. */
    private static JsonNode valueNode(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Json.MAPPER.getNodeFactory().numberNode(d.longValue());
        }
        return Json.MAPPER.valueToTree(value);
    }

    private static void writeChildren(ArrayNode array, List<Condition> children) {
        children.forEach(c -> array.add(toJson(c)));
    }
}
