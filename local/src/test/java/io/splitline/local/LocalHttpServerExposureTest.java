package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a hostile or careless client on this machine can do to the local stack's HTTP server. */
class LocalHttpServerExposureTest {
    static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalOptions.parse("--port", "0", "--app-key", "app-key-for-tests", "--admin-key", "admin-key-for-tests"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void idleConnectionsWhoseHeadersNeverFinish_doNotStarveHealth() throws IOException {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 80; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), stack.baseUri().getPort());
                OutputStream out = socket.getOutputStream();
                out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                idle.add(socket);
            }

            assertEquals("ok", new ApiClient(stack.baseUri(), null).get("/health").expect(200).get("status").asText());
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void aMalformedPercentEscape_getsTheJsonError() throws IOException {
        for (String path : List.of("/experiments/%zz", "/experiments/%zz/history", "/%zz", "/experiments/%")) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: admin-key-for-tests\r\nConnection: close\r\n\r\n");
            String status = answer.substring(0, answer.indexOf("\r\n"));
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertTrue(status.startsWith("HTTP/1.1 400 "), path + ": " + status);
            assertTrue(answer.toLowerCase().contains("content-type: application/json"), path + ": " + answer);
            JsonNode error = Json.parse(body);
            assertEquals("invalid_request", error.get("error").asText(), path + ": " + body);
        }
    }

    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), stack.baseUri().getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
