package io.splitline.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.splitline.devkit.DynamoDbLocal;
import io.splitline.devkit.SamTemplate;
import io.splitline.functions.rolloutstep.RolloutStepHandler;
import io.splitline.notify.Notification;
import io.splitline.rollout.health.CloudWatchHealthSource;
import io.splitline.rollout.health.HealthSource;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole service on this machine: DynamoDB Local (in memory or in a data directory) holding the
 * tables of {@code template.yaml}, every function's handler behind an HTTP server on loopback that
 * enforces the app and admin keys, the rollout step on a timer (as the EventBridge schedule runs it),
 * and an in-memory stand-in for the CloudWatch metrics the service emits.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    /** Definitions change through this stack's own API, so a short cache keeps the UI snappy. */
    static final String DEFINITION_CACHE_SECONDS = "2";

    private final LocalOptions options;
    private final AutoCloseable storage;
    private final URI dynamoEndpoint;
    private final DynamoDbClient client;
    private final TableNames tables;
    private final InMemoryMetrics metrics;
    private final LocalHttpServer http;
    private final LocalNotifications notifications;
    private final ScheduledExecutorService scheduler;
    private final String appKey;
    private final String adminKey;

    private LocalStack(LocalOptions options, Clock clock, PrintStream out, DynamoDbClient client, URI dynamoEndpoint,
                       AutoCloseable storage) throws IOException {
        this.options = options;
        this.appKey = options.appKey() != null ? options.appKey() : generatedKey("app");
        this.adminKey = options.adminKey() != null ? options.adminKey() : generatedKey("admin");
        this.storage = storage;
        this.dynamoEndpoint = dynamoEndpoint;
        try {
            this.client = client;
            this.tables = TableNames.fromLogicalIds(SamTemplate.load().createTables(client, ""));
            this.metrics = new InMemoryMetrics();
            // Running experiments are evaluated every minute here (15 in AWS by default), and every results call sums
            // the segments anew (a roll-up of age 0), so a call's events show in the segments too as soon as it returns.
            Wiring wiring = Wiring.of(client, tables, clock, metrics, Map.of("DEFINITION_CACHE_SECONDS", DEFINITION_CACHE_SECONDS,
                    "EXPERIMENT_EVALUATION_MINUTES", "1", "SEGMENT_ROLLUP_SECONDS", "0"));
            this.notifications = new LocalNotifications(out);
            this.http = new LocalHttpServer(options.listenPort(), LocalFunctions.api(wiring, notifications), appKey, adminKey,
                    clock, new LocalStreamFold(client, dynamoEndpoint, tables, metrics, clock,
                            Duration.ofSeconds(Long.parseLong(DEFINITION_CACHE_SECONDS))));
            HealthSource health = options.cloudWatchEndpoint() == null ? metrics
                    : new CloudWatchHealthSource(cloudWatch(options.cloudWatchEndpoint()));
            RolloutStepHandler step = new RolloutStepHandler(wiring, health, notifications, LocalTargets.of(options));
            this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "splitline-rollout-step");
                t.setDaemon(true);
                return t;
            });
            long every = options.stepInterval().toMillis();
            scheduler.scheduleWithFixedDelay(() -> runStep(step, clock), every, every, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            closeQuietly(storage);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("could not stop the storage cleanly", e);
        }
    }

    /** One run of the step, invoked with the event the EventBridge schedule would send. */
    private static void runStep(RolloutStepHandler step, Clock clock) {
        ScheduledEvent event = new ScheduledEvent()
                .withId(UUID.randomUUID().toString())
                .withSource("aws.events")
                .withDetailType("Scheduled Event")
                .withTime(new org.joda.time.DateTime(clock.millis(), org.joda.time.DateTimeZone.UTC));
        try {
            step.handleRequest(event, new LocalLambdaContext("RolloutStepFunction"));
        } catch (RuntimeException e) {
            LOG.error("rollout step failed", e);
        }
    }

    /** A CloudWatch client for an endpoint given on the command line. */
    static CloudWatchClient cloudWatch(URI endpoint) {
        return EmulatorClients.at(CloudWatchClient.builder(), endpoint);
    }

    /** Starts everything; the stack answers {@code GET /health} when this returns. */
    public static LocalStack start(LocalOptions options) {
        return start(options, System.out);
    }

    /** Starts everything, with the stack's own announcements (rollback events) going to {@code out}. */
    public static LocalStack start(LocalOptions options, PrintStream out) {
        String host = options.dynamoDbHost() == null ? DynamoDbLocal.LOOPBACK : options.dynamoDbHost();
        DynamoDbLocal dynamo = DynamoDbLocal.start(options.dataDir(), host, 0);
        return start(options, out, dynamo.client(), dynamo.endpoint(), dynamo);
    }

    /**
     * Starts the stack on an external DynamoDB-compatible endpoint (LocalStack in a container, or a real
     * account) instead of the embedded DynamoDB Local; {@code storage} is closed with the stack.
     */
    public static LocalStack start(LocalOptions options, PrintStream out, DynamoDbClient dynamo, URI endpoint,
                                   AutoCloseable storage) {
        try {
            return new LocalStack(options, Clock.systemUTC(), out, dynamo, endpoint, storage);
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

    /**
     * The DynamoDB endpoint holding the tables. DynamoDB Local listens on 127.0.0.1 only, unless
     * {@code --dynamodb-host} opened it to {@code sam local}'s containers.
     */
    public URI dynamoDbEndpoint() {
        return dynamoEndpoint;
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

    /** Every notification the functions published (what EventBridge would carry in AWS), oldest first. */
    public List<Notification> notifications() {
        return notifications.published();
    }

    /** The rollbacks among them. */
    public List<Notification> rolledBack() {
        return notifications.published().stream()
                .filter(n -> n.detailType().equals(Notification.ROLLOUT_ROLLED_BACK)).toList();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
        closeQuietly(storage);
    }

    private static String generatedKey(String role) {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return role + "-" + HexFormat.of().formatHex(bytes);
    }
}
