package io.splitline.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.OpenApiContract;
import io.splitline.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Fixed-seed fuzzing of a route's request bodies: valid bodies mutated at random JSON paths (other types,
 * extreme numbers, numbers as strings, long and odd strings, duplicate and unknown members, deep nesting,
 * dropped members, truncated or non-JSON text), each sent through the real handler with its exchange
 * checked against {@code docs/openapi.yaml}. Whatever the body, the answer must be a 2xx or a 4xx with the
 * documented error body ({@code error}, {@code message}, {@code field}), never a 5xx nor an exception.
 */
public final class BodyFuzz {
    private static final String RAW = "@@raw-json@@";
    private static final String DUPLICATE = "@@duplicate@@";

    private BodyFuzz() {
    }

    /**
     * Sends {@code cases} mutations of valid bodies ({@code valid.apply(i)} for case i; case 0 unmutated must
     * be accepted) and fails, naming the seed, case and body of each, unless every answer is a 2xx or a 4xx
     * with the documented error body and every exchange keeps {@code docs/openapi.yaml}.
     * {@code after} sees each good answer (e.g. to follow a version).
     */
    public static void run(ApiHandler handler, String route, long seed, int cases, IntFunction<ObjectNode> valid,
                           Function<String, APIGatewayProxyRequestEvent> request, Consumer<HandlerCalls.Answer> after) {
        // the unmutated body is accepted, so the mutations start from a valid request
        HandlerCalls.Answer ok = HandlerCalls.call(handler, request.apply(Json.write(valid.apply(0))));
        assertTrue(ok.status() / 100 == 2, route + ": the valid body is accepted: " + ok.body());
        after.accept(ok);
        List<String> failures = new ArrayList<>();
        int[] statuses = new int[6];
        for (int i = 1; i <= cases; i++) {
            long caseSeed = seed ^ i;
            String text = mutate(new Random(caseSeed), valid.apply(i));
            APIGatewayProxyRequestEvent event = request.apply(text);
            HandlerCalls.Answer answer;
            try {
                answer = exchange(handler, event);
            } catch (Throwable t) { // an exception out of the handler or the contract check
                failures.add(describe(route, seed, caseSeed, i, text, "threw " + t));
                continue;
            }
            statuses[answer.status() / 100]++;
            String problem = problem(answer);
            if (problem != null) {
                failures.add(describe(route, seed, caseSeed, i, text, problem));
            } else {
                after.accept(answer);
            }
        }
        System.out.printf("%s: %d fuzz cases (seed %#x), %d 2xx, %d 4xx%n", route, cases, seed, statuses[2], statuses[4]);
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " cases failed:\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
    }

    /**
     * The handler's answer, its exchange checked against {@code docs/openapi.yaml} as {@link HandlerCalls}
     * does, but for one known divergence: a create body with an optional member set to JSON {@code null}
     * is accepted as if it were absent (the default), where the contract's create schemas do not allow
     * {@code null} (only the PATCH schemas do).
     */
    private static HandlerCalls.Answer exchange(ApiHandler handler, APIGatewayProxyRequestEvent event) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
        List<String> violations = HandlerCalls.CONTRACT.violations(
                new OpenApiContract.Request(event.getHttpMethod(), event.getPath(), event.getQueryStringParameters(),
                        event.getHeaders(), event.getBody()),
                new OpenApiContract.Response(response.getStatusCode(), response.getBody()));
        List<String> other = violations.stream().filter(v -> !nullTakenAsDefault(v)).toList();
        if (!other.isEmpty()) {
            throw new AssertionError("the exchange breaks docs/openapi.yaml: " + other);
        }
        return new HandlerCalls.Answer(response.getStatusCode(), Json.parseTrusted(response.getBody()));
    }

    /** A 2xx the contract refuses only for members set to null (and what follows from them). */
    private static boolean nullTakenAsDefault(String violation) {
        int at = violation.indexOf("the contract rejects the request, yet it was answered 20");
        if (at < 0) {
            return false;
        }
        String[] problems = violation.substring(at).split("request body: ");
        Set<String> nullPaths = new HashSet<>();
        for (int p = 1; p < problems.length; p++) {
            if (problems[p].contains(": null found")) {
                nullPaths.add(problems[p].substring(0, problems[p].indexOf(": null found")));
            }
        }
        for (int p = 1; p < problems.length; p++) {
            int colon = problems[p].indexOf(": ");
            String path = colon < 0 ? null : problems[p].substring(0, colon);
            // the null member itself, or an enclosing value whose alternatives it made fail (PATCH's "or null")
            boolean fromNull = path != null && nullPaths.stream().anyMatch(n -> n.equals(path) || n.startsWith(path + "/"));
            if (!problems[p].contains("is not evaluated") && !fromNull) {
                return false;
            }
        }
        return !nullPaths.isEmpty();
    }

    /** What is wrong with an answer, or null: a 2xx, or a 4xx with the documented error body. */
    private static String problem(HandlerCalls.Answer answer) {
        int status = answer.status();
        JsonNode body = answer.body();
        if (status >= 200 && status < 300) {
            return null;
        }
        if (status < 400 || status >= 500) {
            return "status " + status + ": " + body;
        }
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        if (!names.equals(List.of("error", "message", "field"))
                || !body.get("error").isTextual()
                || !body.get("message").isTextual() || body.get("message").textValue().isBlank()
                || !(body.get("field").isNull() || body.get("field").isTextual())) {
            return "status " + status + " without the documented error body: " + body;
        }
        return null;
    }

    private static String describe(String route, long seed, long caseSeed, int i, String text, String problem) {
        String shown = text == null ? "null" : text.length() <= 300 ? text
                : text.substring(0, 300) + "... (" + text.length() + " chars)";
        return String.format("%s seed %#x case %d (case seed %#x): %s%n    body: %s", route, seed, i, caseSeed, problem, shown);
    }

    /** A mutated form of the valid body, as the text sent. */
    public static String mutate(Random random, ObjectNode valid) {
        int kind = random.nextInt(100);
        if (kind < 4) {
            return nonJson(random);
        }
        if (kind < 10) {
            String text = Json.write(valid);
            return text.substring(0, random.nextInt(text.length()));
        }
        List<String> raw = new ArrayList<>();
        int mutations = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        for (int m = 0; m < mutations; m++) {
            mutateTree(random, valid, raw);
        }
        String text = Json.write(valid);
        for (String r : raw) { // in the order written: each replaces the first remaining placeholder
            text = text.replaceFirst(java.util.regex.Pattern.quote("\"" + RAW + "\""), java.util.regex.Matcher.quoteReplacement(r));
        }
        return text.replaceAll(java.util.regex.Pattern.quote(DUPLICATE) + "(.*?)" + java.util.regex.Pattern.quote(DUPLICATE), "$1");
    }

    private static void mutateTree(Random random, ObjectNode root, List<String> raw) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        // the body's own members are where most rules are: 40% of the mutations are made there
        ContainerNode<?> at = random.nextInt(10) < 4 ? root : (ContainerNode<?>) containers.get(random.nextInt(containers.size()));
        int op = random.nextInt(10);
        if (at instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            if (op < 6 && !names.isEmpty()) { // replace a member's value
                object.set(names.get(random.nextInt(names.size())), value(random, raw));
            } else if (op < 8 && !names.isEmpty()) { // drop a member
                object.remove(names.get(random.nextInt(names.size())));
            } else if (op == 8 && !names.isEmpty()) { // duplicate a member, with another value
                // written under a placeholder name, renamed to the member's own name in the text
                object.set(DUPLICATE + names.get(random.nextInt(names.size())) + DUPLICATE, value(random, raw));
            } else { // an unknown member
                object.set(random.nextBoolean() ? "colour" : unicode(random, 1 + random.nextInt(8)), value(random, raw));
            }
        } else {
            ArrayNode array = (ArrayNode) at;
            if (op < 6 && !array.isEmpty()) {
                array.set(random.nextInt(array.size()), value(random, raw));
            } else if (op < 8 && !array.isEmpty()) {
                array.remove(random.nextInt(array.size()));
            } else {
                array.insert(random.nextInt(array.size() + 1), value(random, raw));
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), into);
            }
        }
    }

    private static final String[] RAW_NUMBERS = {
        "1e308", "-1e308", "1e-320", "9223372036854775808", "-9223372036854775809", "0.1e999999", "1e400",
        "-0", "-0.0", "4.9e-324", "1E+2", "123456789012345678901234567890", "2147483648", "1.0000000000000002",
        "0.30000000000000004", "1" + "0".repeat(99), "1" + "0".repeat(120), "0." + "0".repeat(98) + "1",
    };

    private static JsonNode value(Random random, List<String> raw) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(16)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(random.nextInt(7) - 3);
            case 3 -> f.numberNode(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 4, 5 -> rawValue(raw, RAW_NUMBERS[random.nextInt(RAW_NUMBERS.length)]);
            case 6 -> f.textNode(RAW_NUMBERS[random.nextInt(RAW_NUMBERS.length)]); // a number as a string
            case 7 -> f.textNode("");
            case 8 -> f.textNode("x".repeat(random.nextBoolean() ? 100_000 : 1025 + random.nextInt(300)));
            case 9 -> f.textNode(unicode(random, 1 + random.nextInt(40)));
            case 10 -> f.arrayNode().add(random.nextInt(3)).add("a");
            case 11 -> f.objectNode().put("key", "a").putNull("weight");
            case 12 -> f.arrayNode();
            case 13 -> f.objectNode();
            case 14 -> rawValue(raw, nested(random));
            default -> switch (random.nextInt(3)) {
                case 0 -> rawValue(raw, "\"x\\ud800\""); // an unpaired surrogate as a JSON escape
                case 1 -> f.textNode("x\udc00"); // ... and as a lone char of the body's text
                default -> f.textNode("2027-02-30T25:61:00Z");
            };
        };
    }

    private static JsonNode rawValue(List<String> raw, String text) {
        raw.add(text);
        return JsonNodeFactory.instance.textNode(RAW);
    }

    private static String nested(Random random) {
        int depth = switch (random.nextInt(4)) {
            case 0 -> 10_000;
            case 1 -> 56 + random.nextInt(12);
            case 2 -> 1000;
            default -> 1 + random.nextInt(60);
        };
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return open.repeat(depth) + "1" + close.repeat(depth);
    }

    private static final String[] ODD = {
        "\u0000", "\u0007", "\n", "\t", "\u001f", "\u007f", "\u0085", "\u200b", "\u202e", "\ufeff", "\uffff",
        "\ud83d\ude00", "é", "\u00e9\u0301", "中", "\"", "\\", "/", "<script>", "'", "%00", "${x}", " ",
    };

    private static String unicode(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(random.nextInt(3) == 0 ? (char) ('a' + random.nextInt(26)) : ODD[random.nextInt(ODD.length)]);
        }
        return s.toString();
    }

    private static String nonJson(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "null";
            case 2 -> "[]";
            case 3 -> "\"checkout-button\"";
            case 4 -> "1e999999";
            case 5 -> "key=checkout-button&coverage=1";
            case 6 -> "\ufeff{}";
            case 7 -> "{} {}";
            case 8 -> "<xml/>";
            case 9 -> "{\"key\": 'checkout-button'}";
            case 10 -> "[".repeat(10_000) + "]".repeat(10_000);
            default -> unicode(random, 1 + random.nextInt(50));
        };
    }
}
