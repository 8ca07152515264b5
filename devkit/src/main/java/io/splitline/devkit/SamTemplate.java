package io.splitline.devkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

/**
 * The SAM template read as data: the one source of truth for table schemas, so tests and the local
 * stack create exactly the tables that {@code sam deploy} creates. CloudFormation's short-form tags
 * ({@code !Ref}, {@code !GetAtt}, {@code !Sub}…) are read as their plain values.
 */
public final class SamTemplate {
    /** Where the build puts a copy of the repository's {@code template.yaml}. */
    public static final String RESOURCE = "/splitline/template.yaml";

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    /** The template packaged with this kit (a build-time copy of the repository's template.yaml). */
    public static SamTemplate load() {
        try (InputStream in = SamTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath; build the devkit module");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SamTemplate load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new SamTemplate(yaml().load(reader));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static SamTemplate parse(String text) {
        return new SamTemplate(yaml().load(text));
    }

    public Map<String, Object> root() {
        return root;
    }

    /** The {@code Resources} section, by logical id. */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) root.get("Resources");
    }

    /** Logical ids of the resources of one type, e.g. {@code AWS::DynamoDB::Table}, in template order. */
    public List<String> resourcesOfType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /**
     * One {@code Api} event of a function: a route of the API as API Gateway serves it.
     *
     * @param method         upper case, e.g. {@code POST}
     * @param appKey         true for an API-key route without IAM ({@code ApiKeyRequired}, {@code Authorizer: NONE}),
     *                       false for a route under the API's default IAM authoriser
     */
    public record ApiEvent(String function, String method, String path, boolean appKey) {
    }

    /** Every {@code Api} event of every function, in template order. */
    @SuppressWarnings("unchecked")
    public List<ApiEvent> apiEvents() {
        List<ApiEvent> routes = new ArrayList<>();
        for (String function : resourcesOfType("AWS::Serverless::Function")) {
            Map<String, Object> events = (Map<String, Object>) properties(function).getOrDefault("Events", Map.of());
            for (Object e : events.values()) {
                Map<String, Object> event = (Map<String, Object>) e;
                if (!"Api".equals(event.get("Type"))) {
                    continue;
                }
                Map<String, Object> p = (Map<String, Object>) event.get("Properties");
                Map<String, Object> auth = (Map<String, Object>) p.getOrDefault("Auth", Map.of());
                boolean appKey = Boolean.TRUE.equals(auth.get("ApiKeyRequired")) && "NONE".equals(auth.get("Authorizer"));
                routes.add(new ApiEvent(function, ((String) p.get("Method")).toUpperCase(Locale.ROOT),
                        (String) p.get("Path"), appKey));
            }
        }
        return routes;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> properties(String logicalId) {
        Map<String, Object> resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId);
        }
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /** The CreateTable request of every {@code AWS::DynamoDB::Table}, named {@code prefix + logicalId}. */
    public Map<String, CreateTableRequest> tableRequests(String prefix) {
        Map<String, CreateTableRequest> requests = new LinkedHashMap<>();
        for (String id : resourcesOfType("AWS::DynamoDB::Table")) {
            requests.put(id, tableRequest(id, prefix + id));
        }
        return requests;
    }

    /**
     * Creates every table of the template (existing ones are kept, so a data directory survives
     * restarts) and enables TTL where the template does.
     *
     * @return physical table name by logical id
     */
    public Map<String, String> createTables(DynamoDbClient client, String prefix) {
        return createTables(client, prefix, true);
    }

    /**
     * Creates every table of the template with TTL left off, for tests, whose clocks are fixed.
     * DynamoDB Local's sweeper deletes expired items by the wall clock, within seconds: an item a fixed clock
     * stamped to expire on a date now past vanishes in the middle of a test. DynamoDB itself deletes expired
     * items within days, so no behaviour may rest on the deletion; the in-memory twins model it where a test
     * needs it.
     *
     * @return physical table name by logical id
     */
    public Map<String, String> createTablesWithoutExpiry(DynamoDbClient client, String prefix) {
        return createTables(client, prefix, false);
    }

    private Map<String, String> createTables(DynamoDbClient client, String prefix, boolean expire) {
        Map<String, String> names = new LinkedHashMap<>();
        tableRequests(prefix).forEach((id, request) -> {
            try {
                client.createTable(request);
                ttlAttribute(id).filter(attribute -> expire).ifPresent(attribute -> client.updateTimeToLive(b -> b
                        .tableName(request.tableName())
                        .timeToLiveSpecification(TimeToLiveSpecification.builder()
                                .attributeName(attribute).enabled(true).build())));
            } catch (ResourceInUseException alreadyThere) {
                // Kept from an earlier run with a data directory.
            }
            names.put(id, request.tableName());
        });
        return names;
    }

    /** The TTL attribute of a table, when the template enables TTL on it. */
    @SuppressWarnings("unchecked")
    public Optional<String> ttlAttribute(String logicalId) {
        Map<String, Object> ttl = (Map<String, Object>) properties(logicalId).get("TimeToLiveSpecification");
        if (ttl == null || !Boolean.TRUE.equals(ttl.get("Enabled"))) {
            return Optional.empty();
        }
        return Optional.of((String) ttl.get("AttributeName"));
    }

    @SuppressWarnings("unchecked")
    private CreateTableRequest tableRequest(String logicalId, String tableName) {
        Map<String, Object> p = properties(logicalId);
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (Map<String, Object> a : (List<Map<String, Object>>) p.get("AttributeDefinitions")) {
            attributes.add(AttributeDefinition.builder()
                    .attributeName((String) a.get("AttributeName"))
                    .attributeType((String) a.get("AttributeType"))
                    .build());
        }
        CreateTableRequest.Builder builder = CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(attributes)
                .keySchema(keySchema((List<Map<String, Object>>) p.get("KeySchema")))
                .billingMode(BillingMode.PAY_PER_REQUEST);
        Map<String, Object> stream = (Map<String, Object>) p.get("StreamSpecification");
        if (stream != null) {
            builder.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                    .streamViewType((String) stream.get("StreamViewType")).build());
        }
        List<Map<String, Object>> indexes = (List<Map<String, Object>>) p.get("GlobalSecondaryIndexes");
        if (indexes != null) {
            List<GlobalSecondaryIndex> gsis = new ArrayList<>();
            for (Map<String, Object> index : indexes) {
                Map<String, Object> projection = (Map<String, Object>) index.get("Projection");
                gsis.add(GlobalSecondaryIndex.builder()
                        .indexName((String) index.get("IndexName"))
                        .keySchema(keySchema((List<Map<String, Object>>) index.get("KeySchema")))
                        .projection(Projection.builder()
                                .projectionType((String) projection.get("ProjectionType"))
                                .nonKeyAttributes((List<String>) projection.get("NonKeyAttributes"))
                                .build())
                        .build());
            }
            builder.globalSecondaryIndexes(gsis);
        }
        return builder.build();
    }

    private static List<KeySchemaElement> keySchema(List<Map<String, Object>> elements) {
        List<KeySchemaElement> schema = new ArrayList<>();
        for (Map<String, Object> e : elements) {
            schema.add(KeySchemaElement.builder()
                    .attributeName((String) e.get("AttributeName"))
                    .keyType((String) e.get("KeyType"))
                    .build());
        }
        return schema;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        return new Yaml(new CloudFormationConstructor(options));
    }

    /** Reads {@code !Ref x}, {@code !GetAtt a.b}, {@code !Sub …} and friends as their untagged values. */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor(LoaderOptions options) {
            super(options);
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    if (node instanceof ScalarNode scalar) {
                        return constructScalar(scalar);
                    }
                    if (node instanceof SequenceNode sequence) {
                        return constructSequence(sequence);
                    }
                    return constructMapping((MappingNode) node);
                }
            });
        }
    }
}
