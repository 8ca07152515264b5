package io.splitline.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The floor of a Java cold start: a stream handler that answers a constant without reading its event. */
public final class NoOpStreamHandler implements RequestStreamHandler {
    private static final byte[] RESPONSE = "{\"statusCode\":200,\"body\":\"{}\"}".getBytes(StandardCharsets.UTF_8);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(RESPONSE);
    }
}
