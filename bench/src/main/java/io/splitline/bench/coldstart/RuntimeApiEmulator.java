package io.splitline.bench.coldstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Just enough of the Lambda Runtime API (the HTTP interface Lambda offers the runtime inside a function's
 * sandbox) to serve a few invocations on a loopback port: the runtime's {@code next} calls get the events
 * in turn, and the time the first response arrives is recorded. Once the events are served, {@code next}
 * calls wait until {@link #close}, as they would in a sandbox with no more traffic. A SnapStart init
 * ({@code restore/next}) is restored at once, in the same JVM: what follows is what a restored container runs.
 */
final class RuntimeApiEmulator implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final String REQUEST_ID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final List<byte[]> events;
    private final List<String> responses = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long firstNextNanos;
    private volatile long responseNanos;
    private volatile String response;
    private volatile String error;
    private int served;

    /** Serves one invocation, {@code eventJson}. */
    RuntimeApiEmulator(String eventJson) throws IOException {
        this(List.of(eventJson));
    }

    /** Serves {@code eventJsons} in order, one invocation each. */
    RuntimeApiEmulator(List<String> eventJsons) throws IOException {
        this.events = eventJsons.stream().map(e -> e.getBytes(StandardCharsets.UTF_8)).toList();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Waits for the responses to every event, or for the first error report; false on timeout. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    /** {@link System#nanoTime()} when the runtime first asked for an invocation (its init was over). */
    long firstNextNanos() {
        return firstNextNanos;
    }

    /** {@link System#nanoTime()} when the response arrived. */
    long responseNanos() {
        return responseNanos;
    }

    /** The first invocation's response. */
    String response() {
        return response;
    }

    /** The responses so far, in the order of the events. */
    List<String> responses() {
        return List.copyOf(responses);
    }

    /** The error the runtime reported (init or invocation), or null. */
    String error() {
        return error;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (exchange.getRequestMethod().equals("GET") && path.equals("invocation/next")) {
            next(exchange);
        } else if (exchange.getRequestMethod().equals("GET") && path.equals("restore/next")) {
            // A SnapStart init ends by waiting for its restore: restore at once, in the same process.
            reply(exchange, 200, "");
        } else if (path.endsWith("/response")) {
            if (responses.isEmpty()) {
                responseNanos = System.nanoTime();
                response = new String(body, StandardCharsets.UTF_8);
            }
            responses.add(new String(body, StandardCharsets.UTF_8));
            reply(exchange, 202, "{\"status\":\"OK\"}");
            if (responses.size() == events.size()) {
                done.countDown();
            }
        } else if (path.endsWith("/error")) {
            error = path + ": " + new String(body, StandardCharsets.UTF_8);
            reply(exchange, 202, "{\"status\":\"OK\"}");
            done.countDown();
        } else {
            reply(exchange, 404, "{}");
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        int index;
        synchronized (this) {
            index = served < events.size() ? served++ : -1;
        }
        if (index < 0) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (index == 0) {
            firstNextNanos = System.nanoTime();
        }
        byte[] event = events.get(index);
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", REQUEST_ID);
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 10_000));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:123456789012:function:splitline-cold-start");
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0");
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, event.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(event);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
