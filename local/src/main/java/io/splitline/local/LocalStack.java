package io.splitline.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.SamTemplate;
import io.splitline.functions.assignment.AssignmentHandler;
import io.splitline.functions.experiments.ExperimentsHandler;
import io.splitline.functions.ingest.IngestHandler;
import io.splitline.functions.results.ResultsHandler;
import io.splitline.http.ApiRoutes;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole service on this machine: DynamoDB Local (in memory or in a data directory) holding the
 * tables of {@code template.yaml}, every function's handler behind an HTTP server on loopback that
 * enforces the app and admin keys, and an in-memory stand-in for the CloudWatch metrics the service
 * emits.
 */
public final class LocalStack implements AutoCloseable {
    /** Definitions change through this stack's own API, so a short cache keeps the UI snappy. */
    static final String DEFINITION_CACHE_SECONDS = "2";

    private final LocalOptions options;
    private final DynamoDbLocal dynamo;
    private final DynamoDbClient client;
    private final TableNames tables;
    private final InMemoryMetrics metrics;
    private final LocalHttpServer http;
    private final String appKey;
    private final String adminKey;

    private LocalStack(LocalOptions options, Clock clock) throws IOException {
        this.options = options;
        this.appKey = options.appKey() != null ? options.appKey() : generatedKey("app");
        this.adminKey = options.adminKey() != null ? options.adminKey() : generatedKey("admin");
        this.dynamo = DynamoDbLocal.start(options.dataDir(), 0);
        try {
            this.client = dynamo.client();
            this.tables = TableNames.fromLogicalIds(SamTemplate.load().createTables(client, ""));
            this.metrics = new InMemoryMetrics();
            Wiring wiring = Wiring.of(client, tables, clock, metrics,
                    Map.of("DEFINITION_CACHE_SECONDS", DEFINITION_CACHE_SECONDS));
            Map<ApiRoutes.Function, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> functions =
                    new EnumMap<>(ApiRoutes.Function.class);
            functions.put(ApiRoutes.Function.EXPERIMENTS, new ExperimentsHandler(wiring));
            functions.put(ApiRoutes.Function.ASSIGNMENT, new AssignmentHandler(wiring));
            functions.put(ApiRoutes.Function.INGEST, new IngestHandler(wiring));
            functions.put(ApiRoutes.Function.RESULTS, new ResultsHandler(wiring));
            this.http = new LocalHttpServer(options.listenPort(), functions, appKey, adminKey, clock);
        } catch (IOException | RuntimeException e) {
            dynamo.close();
            throw e;
        }
    }

    /** Starts everything; the stack answers {@code GET /health} when this returns. */
    public static LocalStack start(LocalOptions options) {
        try {
            return new LocalStack(options, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + options.listenPort(), e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + http.port());
    }

    public String appKey() {
        return appKey;
    }

    public String adminKey() {
        return adminKey;
    }

    /** The embedded DynamoDB Local's endpoint (it listens on every interface, for {@code sam local}). */
    public URI dynamoDbEndpoint() {
        return dynamo.endpoint();
    }

    public TableNames tables() {
        return tables;
    }

    public DynamoDbClient dynamoDb() {
        return client;
    }

    public InMemoryMetrics metrics() {
        return metrics;
    }

    public LocalOptions options() {
        return options;
    }

    @Override
    public void close() {
        http.close();
        dynamo.close();
    }

    private static String generatedKey(String role) {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return role + "-" + HexFormat.of().formatHex(bytes);
    }
}
