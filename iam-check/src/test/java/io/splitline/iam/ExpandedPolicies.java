package io.splitline.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.splitline.devkit.AwsCall;
import io.splitline.devkit.AwsCallRecorder;
import io.splitline.devkit.Ci;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The functions' policies of {@code template.yaml}, expanded by AWS's SAM translator
 * ({@code src/test/python/expand_policies.py}, run with {@code python3}), for the model deployment.
 */
final class ExpandedPolicies {
    static final String SCRIPT = "src/test/python/expand_policies.py";
    private static final String MISSING = "python3 with the SAM translator is needed to expand template.yaml's policies "
            + "(pip install cfn-lint, which brings aws-sam-translator)";

    private ExpandedPolicies() {
    }

    /** By function logical id, in template order. Skips the caller (fails it under CI) without the translator. */
    static Map<String, FunctionPolicies> of(Path template) {
        return of(template, List.of("PayloadBucket=" + ModelDeployment.PAYLOAD_BUCKET));
    }

    /** The same with these parameters ({@code NAME=VALUE}) instead of the model deployment's; the others at their defaults. */
    static Map<String, FunctionPolicies> of(Path template, List<String> parameters) {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT, template.toString(), ModelDeployment.REGION,
                AwsCallRecorder.MODEL_ACCOUNT));
        command.addAll(parameters);
        String json = run(command);
        try {
            Map<String, FunctionPolicies> functions = new LinkedHashMap<>();
            new ObjectMapper().readTree(json).fields().forEachRemaining(f -> functions.put(f.getKey(), parse(f.getKey(), f.getValue())));
            return functions;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable output of " + SCRIPT + ": " + json, e);
        }
    }

    private static FunctionPolicies parse(String function, JsonNode node) {
        List<PolicyStatement> statements = new ArrayList<>();
        for (JsonNode s : node.get("statements")) {
            statements.add(new PolicyStatement(function, s.get("policy").asText(), statements.size(),
                    "Policies".equals(s.get("origin").asText()), strings(s.get("actions")), strings(s.get("resources"))));
        }
        List<AwsCall> serviceCalls = new ArrayList<>();
        for (JsonNode c : node.path("serviceCalls")) {
            serviceCalls.add(new AwsCall(function, c.get("action").asText(), c.get("resource").asText(), c.get("by").asText()));
        }
        return new FunctionPolicies(function, node.get("handler").asText(), strings(node.get("managedPolicies")), statements,
                serviceCalls);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " did not finish");
            }
            if (process.exitValue() != 0) {
                if (err.contains("No module named 'samtranslator'")) {
                    unavailable(MISSING);
                }
                throw new IllegalStateException(SCRIPT + " failed (" + process.exitValue() + "): " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            unavailable(MISSING + ": " + e.getMessage());
            throw new AssertionError("unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like the moto tests: a failure under CI, a visible skip elsewhere. */
    private static void unavailable(String reason) {
        if (Ci.isSet()) {
            throw new IllegalStateException(reason + "; CI is set, so this fails instead of skipping");
        }
        Assumptions.abort(reason + "; skipped (set CI=true to make this a failure)");
    }
}
