package io.splitline.devkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local running inside this JVM as a real HTTP server on a loopback port, so that the real SDK
 * client talks the real wire protocol to it (conditional writes, transactions and key schemas behave as
 * in AWS). In memory by default; with a data directory the tables survive restarts.
 */
public final class DynamoDbLocal implements AutoCloseable {
    private static final String[] NATIVE_LIBRARIES = {
        "libsqlite4java-linux-amd64.so", "libsqlite4java-osx.dylib", "sqlite4java-win32-x64.dll"};

    /** Held strongly: JUL forgets the level of a logger nobody references. */
    private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

    /** The address DynamoDB Local listens on unless told otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocal(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts an in-memory instance on a free loopback port. */
    public static DynamoDbLocal startInMemory() {
        return start(null, 0);
    }

    /**
     * Starts an instance listening on 127.0.0.1 only.
     *
     * @param dataDir where to keep the tables across restarts, or null for memory only
     * @param port    the port to listen on, or 0 for a free one
     */
    public static DynamoDbLocal start(Path dataDir, int port) {
        return start(dataDir, LOOPBACK, port);
    }

    /**
     * Starts an instance.
     *
     * @param dataDir where to keep the tables across restarts, or null for memory only
     * @param host    the address to listen on: {@value #LOOPBACK}, or another one (such as {@code 0.0.0.0}
     *                for {@code sam local}'s containers) to let other machines read and write the tables,
     *                since DynamoDB Local checks no credentials
     * @param port    the port to listen on, or 0 for a free one
     */
    public static DynamoDbLocal start(Path dataDir, String host, int port) {
        prepareNativeLibraries();
        int attempts = port == 0 ? 5 : 1;
        RuntimeException last = null;
        for (int i = 0; i < attempts; i++) {
            int chosen = port == 0 ? freePort() : port;
            List<String> args = new ArrayList<>(List.of("-port", String.valueOf(chosen), "-disableTelemetry", "-sharedDb"));
            if (dataDir == null) {
                args.add("-inMemory");
            } else {
                try {
                    Files.createDirectories(dataDir);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create data directory " + dataDir, e);
                }
                args.addAll(List.of("-dbPath", dataDir.toAbsolutePath().toString()));
            }
            try {
                DynamoDBProxyServer server = quietly(() -> {
                    DynamoDBProxyServer created = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
                    listenOn(created, host);
                    created.start();
                    return created;
                });
                return new DynamoDbLocal(server, chosen);
            } catch (Exception e) {
                // Another process may have taken the free port between probing and binding: try another.
                last = new IllegalStateException("DynamoDB Local did not start on port " + chosen, e);
            }
        }
        throw last;
    }

    /**
     * DynamoDB Local has no option for the listening address and its Jetty server binds every interface,
     * where anyone could read and write the tables without credentials: set the address on Jetty's
     * connector before it starts.
     */
    private static void listenOn(DynamoDBProxyServer proxy, String host) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(proxy);
        Connector[] connectors = jetty.getConnectors();
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local's Jetty server has no connector to bind to " + host);
        }
        for (Connector connector : connectors) {
            ((ServerConnector) connector).setHost(host);
        }
    }

    private interface Starter {
        DynamoDBProxyServer start() throws Exception;
    }

    /** DynamoDB Local prints a configuration banner on standard output; keep it out of ours. */
    private static synchronized DynamoDBProxyServer quietly(Starter starter) throws Exception {
        // sqlite4java warns "unknown jar version" at every start (it reads its version from a jar name that
        // shading changes). A level alone does not hold: DynamoDB Local resets java.util.logging's
        // configuration as it starts, which clears levels but keeps filters.
        SQLITE_LOG.setLevel(java.util.logging.Level.SEVERE);
        SQLITE_LOG.setFilter(r -> r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue());
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return starter.start();
        } finally {
            System.setOut(stdout);
        }
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client for this instance, configured like the functions' clients (url-connection HTTP). */
    public DynamoDbClient client() {
        return client(endpoint());
    }

    /**
     * A client for a DynamoDB Local endpoint, optionally with SDK interceptors (to count requests or to
     * inject a failure: the engine stays real, only the client misbehaves).
     */
    /** A DynamoDB Streams client on the instance at {@code endpoint} (the stream poller of the local stack and tests). */
    public static DynamoDbStreamsClient streamsClient(URI endpoint) {
        return DynamoDbStreamsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static DynamoDbClient client(URI endpoint, ExecutionInterceptor... interceptors) {
        return client(endpoint, o -> { }, interceptors);
    }

    /**
     * A client like {@link #client(URI, ExecutionInterceptor...)} whose SDK retries follow each other without
     * backoff, for a test whose interceptor throttles every call after some point: the SDK still retries (as
     * many attempts as by default) and still gives up, without sleeping up to 20 s between attempts as its
     * defaults do, which proves nothing more against an injected throttle.
     */
    public static DynamoDbClient clientRetryingImmediately(URI endpoint, ExecutionInterceptor... interceptors) {
        return client(endpoint, o -> o.retryStrategy(r -> r.backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())), interceptors);
    }

    private static DynamoDbClient client(URI endpoint, Consumer<ClientOverrideConfiguration.Builder> configuration,
                                         ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> {
                    configuration.accept(o);
                    List.of(interceptors).forEach(o::addExecutionInterceptor);
                })
                .build();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }

    /** sqlite4java loads its native library from a directory: copy ours there once per JVM. */
    private static synchronized void prepareNativeLibraries() {
        if (System.getProperty("sqlite4java.library.path") != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("splitline-sqlite4java");
            dir.toFile().deleteOnExit();
            for (String name : NATIVE_LIBRARIES) {
                try (InputStream in = DynamoDbLocal.class.getResourceAsStream("/sqlite4java/" + name)) {
                    if (in != null) {
                        Path target = dir.resolve(name);
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        target.toFile().deleteOnExit();
                    }
                }
            }
            System.setProperty("sqlite4java.library.path", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack sqlite4java native libraries", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
