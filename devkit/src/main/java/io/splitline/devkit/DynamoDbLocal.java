package io.splitline.devkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
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
     * Starts an instance.
     *
     * @param dataDir where to keep the tables across restarts, or null for memory only
     * @param port    the port to listen on, or 0 for a free one
     */
    public static DynamoDbLocal start(Path dataDir, int port) {
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
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
                server.start();
                return new DynamoDbLocal(server, chosen);
            } catch (Exception e) {
                // Another process may have taken the free port between probing and binding: try another.
                last = new IllegalStateException("DynamoDB Local did not start on port " + chosen, e);
            }
        }
        throw last;
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
    public static DynamoDbClient client(URI endpoint, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> List.of(interceptors).forEach(o::addExecutionInterceptor))
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
