package io.splitline.devkit;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * JUnit 5 extension: one embedded DynamoDB Local per JVM (started on first use, stopped at exit) and,
 * for every test, fresh tables created from {@code template.yaml} under a unique name prefix (TTL off), dropped
 * afterwards. Test and lifecycle methods receive {@link LocalTables} or {@link DynamoDbClient}.
 *
 * <pre>{@code
 * @ExtendWith(DynamoDbLocalExtension.class)
 * class StoreTest {
 *     @Test void staleVersion_isRejected(LocalTables tables) { ... }
 * }
 * }</pre>
 */
public final class DynamoDbLocalExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DynamoDbLocalExtension.class);
    private static final AtomicInteger TEST_COUNTER = new AtomicInteger();
    private static DynamoDbLocal server;
    private static DynamoDbClient client;
    private static SamTemplate template;

    /** The JVM-wide instance, started on first use. */
    public static synchronized DynamoDbLocal server() {
        if (server == null) {
            server = DynamoDbLocal.startInMemory();
            client = server.client();
            template = SamTemplate.load();
            DynamoDbLocal started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "dynamodb-local-stop"));
        }
        return server;
    }

    /**
     * Creates a fresh set of the template's tables, with TTL off ({@link SamTemplate#createTablesWithoutExpiry}:
     * tests run on fixed clocks); callers outside JUnit may use it directly.
     */
    public static LocalTables freshTables() {
        DynamoDbLocal instance = server();
        String prefix = "t" + TEST_COUNTER.incrementAndGet() + "_";
        return new LocalTables(client, template.createTablesWithoutExpiry(client, prefix), instance.endpoint());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(LocalTables.class, freshTables());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LocalTables tables = context.getStore(NAMESPACE).remove(LocalTables.class, LocalTables.class);
        if (tables != null) {
            tables.names().values().forEach(name -> tables.client().deleteTable(b -> b.tableName(name)));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalTables.class || type == DynamoDbClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalTables tables = context.getStore(NAMESPACE).get(LocalTables.class, LocalTables.class);
        if (tables == null) {
            // Resolved outside a test method (e.g. a @BeforeAll method): give that scope its own tables.
            tables = freshTables();
            context.getStore(NAMESPACE).put(LocalTables.class, tables);
        }
        return parameter.getParameter().getType() == LocalTables.class ? tables : tables.client();
    }
}
