package io.splitline.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.splitline.definitions.DefinitionSnapshot;
import io.splitline.assignment.ExperimentAssigner;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The payload object on S3 (moto_server): the route's body, content type and cache lifetime. */
@ExtendWith(MotoServerExtension.class)
class S3PayloadPublisherTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static S3Client client(MotoServer moto) {
        return S3Client.builder().endpointOverride(moto.endpoint()).region(moto.region()).forcePathStyle(true)
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static SdkPayload payload(String variantKey) {
        String spec = "{\"key\": \"checkout-button\", \"variants\": [{\"key\": \"control\", \"weight\": 0.5}, "
                + "{\"key\": \"" + variantKey + "\", \"weight\": 0.5, \"config\": {\"color\": \"ü\"}}], \"coverage\": 0.8}";
        Experiment running = new Experiment(ExperimentJson.parseSpec(Json.parse(spec)), ExperimentStatus.RUNNING, 1,
                T0, T0, T0, null);
        return SdkPayload.of(new DefinitionSnapshot(Map.of(running.key(), ExperimentAssigner.of(running)), Map.of(), Map.of(), T0));
    }

    @Test
    void theObject_holdsTheRoutesBodyWithItsHeaders(MotoServer moto) {
        S3Client s3 = client(moto);
        s3.createBucket(b -> b.bucket("payload-bucket"));
        S3PayloadPublisher publisher = new S3PayloadPublisher(s3, "payload-bucket", S3PayloadPublisher.DEFAULT_KEY,
                Duration.ofSeconds(10));
        SdkPayload first = payload("green");

        publisher.publish(Json.write(first.body()), first.etag());

        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket("payload-bucket").key("sdk/payload.json"));
        assertEquals(Json.write(first.body()), object.asString(StandardCharsets.UTF_8));
        assertEquals("application/json", object.response().contentType());
        assertEquals("public, max-age=10", object.response().cacheControl());
        assertEquals(first.etag(), object.response().metadata().get(S3PayloadPublisher.ETAG_METADATA));

        // S3's own ETag answers a conditional GET while the body is unchanged, and changes with it.
        String s3Etag = object.response().eTag();
        S3Exception notModified = org.junit.jupiter.api.Assertions.assertThrows(S3Exception.class,
                () -> s3.getObject(b -> b.bucket("payload-bucket").key("sdk/payload.json").ifNoneMatch(s3Etag)));
        assertEquals(304, notModified.statusCode());
        SdkPayload second = payload("blue");
        publisher.publish(Json.write(second.body()), second.etag());
        GetObjectResponse after = s3.getObjectAsBytes(b -> b.bucket("payload-bucket").key("sdk/payload.json")).response();
        assertNotEquals(s3Etag, after.eTag());
        assertEquals(second.etag(), after.metadata().get(S3PayloadPublisher.ETAG_METADATA));
    }
}
