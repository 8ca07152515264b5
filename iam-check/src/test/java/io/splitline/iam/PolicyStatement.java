package io.splitline.iam;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One Allow statement of a function's IAM role, after the SAM translator expanded it and its intrinsic
 * functions were resolved for the model deployment.
 *
 * @param function  logical id of the function whose role holds it
 * @param policy    name of the role's inline policy ({@code ExperimentsFunctionRolePolicy0}…)
 * @param index     position of the statement among the function's statements, for naming it
 * @param fromPolicies true when it comes from the function's {@code Policies} property in template.yaml,
 *                  false when SAM generated it for another property (DeadLetterQueue…)
 * @param actions   IAM actions, wildcards allowed
 * @param resources resource ARNs, wildcards allowed
 */
record PolicyStatement(String function, String policy, int index, boolean fromPolicies,
                       List<String> actions, List<String> resources) {
    PolicyStatement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
    }

    /** Whether this statement allows the action on the resource, as IAM matches (actions ignore case). */
    boolean allows(String action, String resource) {
        return actions.stream().anyMatch(a -> matches(a.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT)))
                && resources.stream().anyMatch(r -> matches(r, resource));
    }

    @Override
    public String toString() {
        return id() + " " + actions + " on " + resources;
    }

    /** How a failure message names it: function, policy and position. */
    String id() {
        return function + " statement #" + index + " (policy " + policy + ")";
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} any one. */
    static boolean matches(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return value.matches(regex.toString());
    }
}
