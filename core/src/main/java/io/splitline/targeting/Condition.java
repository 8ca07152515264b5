package io.splitline.targeting;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A targeting rule over request attributes. Attribute values are {@link String}, {@link Double} or
 * {@link Boolean}; comparisons never coerce between types (the string "42" is not the number 42).
 * A missing attribute fails every comparison except {@code neq}, {@code not_in} and
 * {@code exists: false}, which it satisfies.
 */
public sealed interface Condition {

    boolean matches(Map<String, Object> attributes);

    /** True when every condition matches (and for an empty list). */
    record All(List<Condition> conditions) implements Condition {
        public All {
            conditions = List.copyOf(conditions);
        }

        @Override
        public boolean matches(Map<String, Object> attributes) {
            for (Condition c : conditions) {
                if (!c.matches(attributes)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** True when at least one condition matches (false for an empty list). */
    record Any(List<Condition> conditions) implements Condition {
        public Any {
            conditions = List.copyOf(conditions);
        }

        @Override
        public boolean matches(Map<String, Object> attributes) {
            for (Condition c : conditions) {
                if (c.matches(attributes)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** True when the condition does not match (so {@code not} of a comparison on a missing attribute is usually true). */
    record Not(Condition condition) implements Condition {
        @Override
        public boolean matches(Map<String, Object> attributes) {
            return !condition.matches(attributes);
        }
    }

    /**
     * One comparison of an attribute with the rule's value(s).
     *
     * @param values one value for scalar operators, one or more for {@code in}/{@code not_in}; for
     *               {@code exists} a single Boolean (whether the attribute must be present)
     * @param regex  the compiled pattern for {@code regex} (RE2 syntax, matched in linear time), else null
     * @param semver the parsed version for semver operators, else null
     */
    record Compare(String attribute, Operator op, List<Object> values, Pattern regex, SemanticVersion semver)
            implements Condition {
        /** Attribute strings longer than this never match a regex (bounds the cost of matching). */
        static final int MAX_REGEX_INPUT = 1024;

        public Compare {
            values = List.copyOf(values);
        }

        @Override
        public boolean matches(Map<String, Object> attributes) {
            Object actual = attributes.get(attribute);
            if (op == Operator.EXISTS) {
                return (actual != null) == (Boolean) values.get(0);
            }
            if (actual == null) {
                return op == Operator.NEQ || op == Operator.NOT_IN;
            }
            return switch (op) {
                case EQ -> same(values.get(0), actual);
                case NEQ -> !same(values.get(0), actual);
                case IN -> anySame(actual);
                case NOT_IN -> !anySame(actual);
                case GT, GTE, LT, LTE -> actual instanceof Double d
                        && op.accepts(compareNumbers(d, (Double) values.get(0)));
                case SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE -> actual instanceof String s
                        && SemanticVersion.parse(s).map(v -> op.accepts(v.compareTo(semver))).orElse(false);
                case REGEX -> actual instanceof String s && s.length() <= MAX_REGEX_INPUT && regex.matcher(s).find();
                case EXISTS -> throw new IllegalStateException("handled above");
            };
        }

        /** Equality of rule and attribute values; numbers by value, so that -0.0 equals 0.0. */
        private static boolean same(Object ruleValue, Object actual) {
            if (ruleValue instanceof Double r && actual instanceof Double a) {
                return r.doubleValue() == a.doubleValue();
            }
            return ruleValue.equals(actual);
        }

        private boolean anySame(Object actual) {
            for (Object v : values) {
                if (same(v, actual)) {
                    return true;
                }
            }
            return false;
        }

        /** Numeric order (Double.compare would rank -0.0 below 0.0); values are finite, never NaN. */
        private static int compareNumbers(double a, double b) {
            return a < b ? -1 : (a > b ? 1 : 0);
        }

        @Override
        public boolean equals(Object o) {
            // Pattern has identity equality; compare rules by their source.
            return o instanceof Compare c && attribute.equals(c.attribute) && op == c.op && values.equals(c.values);
        }

        @Override
        public int hashCode() {
            return Objects.hash(attribute, op, values);
        }
    }
}
