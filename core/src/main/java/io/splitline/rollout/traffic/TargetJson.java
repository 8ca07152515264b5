package io.splitline.rollout.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Fields;
import io.splitline.json.Json;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API form of a rollout's {@code target}: parsed with AWS's own naming rules, so that a target
 * that AWS would reject is refused at creation with the field and the fix, not by the step later.
 */
public final class TargetJson {
    /** Lambda function names (not ARNs): what {@code GetAlias} accepts as a plain name. */
    static final Pattern FUNCTION_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    /** Lambda alias names: letters, digits, '-' and '_', not all digits (that would be a version). */
    static final Pattern ALIAS = Pattern.compile("^(?![0-9]+$)[a-zA-Z0-9_-]{1,128}$");
    /** Published versions only: an alias cannot route to {@code $LATEST}. */
    static final Pattern VERSION = Pattern.compile("^[1-9][0-9]{0,9}$");
    /** SageMaker endpoint and variant names. */
    static final Pattern SAGEMAKER_NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");

    private static final Set<String> LAMBDA_FIELDS = Set.of("type", "functionName", "alias", "controlVersion",
            "treatmentVersion");
    private static final Set<String> SAGEMAKER_FIELDS = Set.of("type", "endpointName", "controlVariant",
            "treatmentVariant");

    private TargetJson() {
    }

    /** Parses {@code target}, whose path is {@code t.path()}. */
    public static RolloutTarget parse(Fields t) {
        String type = t.string("type");
        return switch (type) {
            case LambdaAliasTarget.TYPE -> {
                t.allowOnly(LAMBDA_FIELDS);
                String control = named(t, "controlVersion", VERSION, "a published version number such as 3 ($LATEST cannot be routed)");
                String treatment = named(t, "treatmentVersion", VERSION, "a published version number such as 4 ($LATEST cannot be routed)");
                distinct(t, "treatmentVersion", control, treatment);
                yield new LambdaAliasTarget(
                        named(t, "functionName", FUNCTION_NAME, "a function name (not an ARN) of 1-64 letters, digits, '-' or '_'"),
                        named(t, "alias", ALIAS, "an alias name of 1-128 letters, digits, '-' or '_', not all digits"),
                        control, treatment);
            }
            case SageMakerVariantsTarget.TYPE -> {
                t.allowOnly(SAGEMAKER_FIELDS);
                String rule = "1-63 letters, digits or '-', starting with a letter or digit";
                String control = named(t, "controlVariant", SAGEMAKER_NAME, "a production variant name of " + rule);
                String treatment = named(t, "treatmentVariant", SAGEMAKER_NAME, "a production variant name of " + rule);
                distinct(t, "treatmentVariant", control, treatment);
                yield new SageMakerVariantsTarget(named(t, "endpointName", SAGEMAKER_NAME, "an endpoint name of " + rule),
                        control, treatment);
            }
            default -> throw new InvalidFieldException(t.path("type"), t.path("type") + " must be '" + LambdaAliasTarget.TYPE
                    + "' or '" + SageMakerVariantsTarget.TYPE + "' (got '" + abbreviate(type) + "')");
        };
    }

    private static String named(Fields t, String field, Pattern rule, String what) {
        String value = t.string(field);
        if (!rule.matcher(value).matches()) {
            throw new InvalidFieldException(t.path(field), t.path(field) + " must be " + what + " (got '" + abbreviate(value) + "')");
        }
        return value;
    }

    private static void distinct(Fields t, String field, String control, String treatment) {
        if (control.equals(treatment)) {
            throw new InvalidFieldException(t.path(field), t.path(field) + " must differ from the control ('" + control + "')");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The API form. */
    public static ObjectNode toJson(RolloutTarget target) {
        ObjectNode node = Json.object();
        node.put("type", target.type());
        if (target instanceof LambdaAliasTarget l) {
            node.put("functionName", l.functionName());
            node.put("alias", l.alias());
            node.put("controlVersion", l.controlVersion());
            node.put("treatmentVersion", l.treatmentVersion());
        } else if (target instanceof SageMakerVariantsTarget s) {
            node.put("endpointName", s.endpointName());
            node.put("controlVariant", s.controlVariant());
            node.put("treatmentVariant", s.treatmentVariant());
        }
        return node;
    }
}
