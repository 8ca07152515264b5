package io.splitline.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The SDK's share of a cold start: a stream handler that builds a DynamoDB client exactly as the functions
 * do (in its constructor) and makes one GetItem per request, nothing else. Between the no-op stream
 * handler and this one lies what the AWS SDK costs; between this one and the assignment function, what
 * Splitline's own code costs.
 */
public final class NoOpDynamoDbHandler implements RequestStreamHandler {
    private static final byte[] RESPONSE = "{\"statusCode\":200,\"body\":\"{}\"}".getBytes(StandardCharsets.UTF_8);

    private final DynamoDbClient dynamo;
    private final String table = System.getenv("DEFINITIONS_TABLE");

    public NoOpDynamoDbHandler() {
        var builder = DynamoDbClient.builder()
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClient(UrlConnectionHttpClient.create());
        String endpoint = System.getenv("DYNAMODB_ENDPOINT");
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        dynamo = builder.build();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("noop"), "sk", AttributeValue.fromS("noop"))));
        output.write(RESPONSE);
    }
}
