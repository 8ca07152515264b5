package io.splitline.functions.experiments;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.LocalTables;
import io.splitline.experiment.ExperimentService;
import io.splitline.holdout.HoldoutService;
import io.splitline.json.Json;
import io.splitline.notify.Notifier;
import io.splitline.rollout.RolloutService;
import io.splitline.store.DefinitionStore;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Building blocks of the handler tests: real handler on DynamoDB Local, API Gateway events, table snapshots. */
final class Fixtures {
    static final String KEY = "checkout-button";
    static final String ADA = "arn:aws:iam::123456789012:user/ada";
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    /** The example definition of docs/api.md (without the schedule and statistics options). */
    static final String EXAMPLE = """
            {
              "key": "checkout-button",
              "description": "Green buy button",
              "variants": [
                {"key": "control", "weight": 0.5, "config": {"color": "blue"}},
                {"key": "green",   "weight": 0.5, "config": {"color": "green"}}
              ],
              "control": "control",
              "coverage": 1.0,
              "targeting": {"all": [{"attribute": "country", "op": "in", "values": ["DE", "FR"]},
                                    {"attribute": "appVersion", "op": "semver_gte", "value": "2.3.0"}]},
              "overrides": {"qa-user-1": "green"},
              "namespace": {"name": "checkout", "start": 0.0, "end": 0.5},
              "metrics": [
                {"key": "purchase", "type": "conversion", "direction": "increase", "role": "primary",
                 "minimumDetectableEffect": 0.05},
                {"key": "revenue", "type": "mean", "direction": "increase", "role": "secondary"},
                {"key": "error", "type": "conversion", "direction": "decrease", "role": "guardrail"}
              ],
              "confidenceLevel": 0.95,
              "minimumSampleSize": 100
            }""";

    private Fixtures() {
    }

    static ObjectNode example() {
        return (ObjectNode) Json.parse(EXAMPLE);
    }

    static ExperimentService service(LocalTables tables) {
        DefinitionStore store = new DynamoDbDefinitionStore(tables.client(), TableNames.fromLogicalIds(tables.names()).definitions());
        return new ExperimentService(store, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static RolloutService rollouts(LocalTables tables) {
        DefinitionStore store = new DynamoDbDefinitionStore(tables.client(), TableNames.fromLogicalIds(tables.names()).definitions());
        return new RolloutService(store, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static ExperimentsHandler handler(LocalTables tables) {
        DefinitionStore store = new DynamoDbDefinitionStore(tables.client(), TableNames.fromLogicalIds(tables.names()).definitions());
        return new ExperimentsHandler(service(tables), rollouts(tables), new HoldoutService(store, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    /** The handler as Lambda wires it, with its notifications going to {@code notifier}. */
    static ExperimentsHandler handler(LocalTables tables, Notifier notifier) {
        return new ExperimentsHandler(Wiring.of(tables.client(), TableNames.fromLogicalIds(tables.names()),
                Clock.fixed(NOW, ZoneOffset.UTC), datum -> { }, Map.of()), notifier);
    }

    /** An API Gateway REST proxy event as an IAM-authorised caller ({@link #ADA}) sends it. */
    static APIGatewayProxyRequestEvent event(String method, String resource, String key, Map<String, String> query, String body) {
        String path = key == null ? resource : resource.replace("{key}", key);
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withResource(resource)
                .withPath(path)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withPathParameters(key == null ? null : Map.of("key", key))
                .withQueryStringParameters(query)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withResourcePath(resource)
                        .withHttpMethod(method)
                        .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity().withUserArn(ADA)));
    }

    /** Every item of the definitions table, in key order: what "the table is unchanged" compares. */
    static List<Map<String, AttributeValue>> scan(LocalTables tables) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        tables.client().scanPaginator(b -> b.tableName(tables.name("DefinitionsTable"))).items().forEach(items::add);
        items.sort(Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s()).thenComparing(i -> i.get("sk").s()));
        return items;
    }
}
