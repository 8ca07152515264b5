package io.splitline.iam;

import io.splitline.devkit.AwsCall;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The IAM check, both ways: every recorded call of a function is allowed by its role, and every
 * action-resource pair its {@code Policies} grant was used by some recorded call (least privilege). What
 * SAM adds on its own (managed policies, the dead-letter queue's statement) must be known here, with why.
 * The calls the Lambda service makes with a function's role for its event source mappings (reading a
 * DynamoDB stream, sending to the on-failure destination) are derived from the template's mappings
 * ({@link FunctionPolicies#serviceCalls()}) and count as made: granted they must be, on exactly their resources.
 */
final class IamCoverage {
    /** Managed policies SAM attaches, and what uses them (the Lambda service, not Splitline's code). */
    static final Map<String, String> KNOWN_MANAGED = Map.of(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "the runtime writes the function's logs",
            "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess", "SAM attaches it whenever Tracing is set (always: XRayTracing picks Active or PassThrough); the runtime sends traces with it");
    /** Inline policies SAM generates for properties other than Policies, and what uses them. */
    static final Map<String, String> KNOWN_GENERATED = Map.of(
            "DeadLetterQueuePolicy", "the Lambda service sends failed asynchronous invocations to the DeadLetterQueue");

    private IamCoverage() {
    }

    /** Every way the recordings and the roles disagree, as messages that say what to change; empty when none. */
    static List<String> problems(Collection<FunctionPolicies> roles, List<AwsCall> recorded, ModelDeployment deployment) {
        List<String> problems = new ArrayList<>();
        Map<String, List<AwsCall>> calls = recorded.stream()
                .map(c -> new AwsCall(c.function(), c.action(), deployment.normalize(c.resource()), c.caller()))
                .distinct()
                .collect(Collectors.groupingBy(AwsCall::function));
        Set<String> functions = roles.stream().map(FunctionPolicies::function).collect(Collectors.toSet());
        calls.keySet().stream().filter(f -> !functions.contains(f)).sorted().forEach(f ->
                problems.add("recordings name a function the template does not have: " + f));
        for (FunctionPolicies role : roles) {
            List<AwsCall> made = new ArrayList<>(calls.getOrDefault(role.function(), List.of()));
            if (made.isEmpty()) {
                problems.add("no AWS calls were recorded for " + role.function() + " (handler " + role.handler()
                        + "): run the whole suite first (mvn verify from the repository root); recordings go to target/iam-recordings");
                continue;
            }
            // The Lambda service's own calls for the function's event source mappings need the role's grants
            // as much as the code's do, and a grant for them is used by them.
            made.addAll(role.serviceCalls());
            problems.addAll(denied(role, made));
            problems.addAll(unused(role, made));
            problems.addAll(unknownExtras(role));
        }
        return problems;
    }

    private static List<String> denied(FunctionPolicies role, List<AwsCall> made) {
        Set<String> missing = new TreeSet<>();
        for (AwsCall call : made) {
            if (role.statements().stream().noneMatch(s -> s.allows(call.action(), call.resource()))) {
                missing.add(role.function() + " calls " + call.action() + " on " + call.resource() + " (from "
                        + call.caller() + ") but its policies do not allow it: grant " + call.action()
                        + " on that resource in " + role.function() + "'s Policies in template.yaml"
                        + (call.resource().equals("*") ? " (recorded on *: if the action takes resource-level "
                        + "permissions, teach devkit's IamAccess its ARN)" : ""));
            }
        }
        return List.copyOf(missing);
    }

    private static List<String> unused(FunctionPolicies role, List<AwsCall> made) {
        List<String> unused = new ArrayList<>();
        for (PolicyStatement statement : role.statements()) {
            if (!statement.fromPolicies()) {
                continue;
            }
            for (String action : statement.actions()) {
                for (String resource : statement.resources()) {
                    PolicyStatement pair = new PolicyStatement(role.function(), statement.policy(), statement.index(),
                            true, List.of(action), List.of(resource));
                    if (made.stream().noneMatch(c -> pair.allows(c.action(), c.resource()))) {
                        unused.add(statement.id() + " grants " + action + " on " + resource
                                + " but no test made that call: remove it from the Policies in template.yaml "
                                + "(least privilege), or test the code that needs it");
                    }
                }
            }
        }
        return unused;
    }

    private static List<String> unknownExtras(FunctionPolicies role) {
        List<String> unknown = new ArrayList<>();
        role.managedPolicies().stream().filter(p -> !KNOWN_MANAGED.containsKey(p)).forEach(p ->
                unknown.add(role.function() + " has managed policy " + p + ", which no test can check: review it and "
                        + "list it with its reason in IamCoverage.KNOWN_MANAGED, or remove it"));
        role.statements().stream().filter(s -> !s.fromPolicies()).map(PolicyStatement::policy).distinct()
                .filter(p -> !KNOWN_GENERATED.containsKey(p)).forEach(p ->
                        unknown.add(role.function() + " has SAM-generated policy " + p + ": review it and list it with "
                                + "its reason in IamCoverage.KNOWN_GENERATED"));
        return unknown;
    }
}
