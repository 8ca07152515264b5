package io.splitline.functions.experiments;

import static io.splitline.functions.experiments.Fixtures.event;
import static io.splitline.http.HandlerCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.definitions.DefinitionCache;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import io.splitline.metrics.MetricDatum;
import io.splitline.sdk.PayloadPublication;
import io.splitline.sdk.PayloadPublisher;
import io.splitline.sdk.S3PayloadPublisher;
import io.splitline.sdk.SdkPayload;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The management API publishes the SDK payload to S3 (moto_server) after a change, when publishing is on. */
@ExtendWith({DynamoDbLocalExtension.class, MotoServerExtension.class})
class PayloadPublishingTest {
    private static final Clock CLOCK = Clock.fixed(Fixtures.NOW, ZoneOffset.UTC);
    private final List<MetricDatum> metrics = new ArrayList<>();

    private static S3Client s3(MotoServer moto) {
        return S3Client.builder().endpointOverride(moto.endpoint()).region(moto.region()).forcePathStyle(true)
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private ExperimentsHandler handler(LocalTables tables, PayloadPublisher payloads) {
        Wiring wiring = Wiring.of(tables.client(), TableNames.fromLogicalIds(tables.names()), CLOCK, metrics::add, Map.of());
        return new ExperimentsHandler(wiring, notification -> { }, payloads);
    }

    private static String storedPayload(LocalTables tables) {
        DynamoDbDefinitionStore store = new DynamoDbDefinitionStore(tables.client(),
                TableNames.fromLogicalIds(tables.names()).definitions());
        return Json.write(SdkPayload.of(new DefinitionCache(store, Duration.ZERO, CLOCK).current()).body());
    }

    @Test
    void aStart_publishesThePayloadWithTheStartedExperiment(MotoServer moto, LocalTables tables) {
        S3Client s3 = s3(moto);
        s3.createBucket(b -> b.bucket("payload-publishing-test"));
        ExperimentsHandler handler = handler(tables, new S3PayloadPublisher(s3, "payload-publishing-test",
                S3PayloadPublisher.DEFAULT_KEY, Duration.ofSeconds(10)));

        assertEquals(201, call(handler, event("POST", "/experiments", null, null, Fixtures.EXAMPLE)).status());
        String draft = s3.getObjectAsBytes(b -> b.bucket("payload-publishing-test").key("sdk/payload.json")).asUtf8String();
        assertEquals(200, call(handler, event("POST", "/experiments/{key}/start", "checkout-button", null, null)).status());
        String started = s3.getObjectAsBytes(b -> b.bucket("payload-publishing-test").key("sdk/payload.json")).asUtf8String();

        assertEquals("{\"features\":{},\"omitted\":[]}", draft);
        assertEquals(storedPayload(tables), started);
        assertTrue(Json.parse(started).get("features").has("checkout-button"), started);
        assertTrue(metrics.isEmpty());
    }

    @Test
    void aFailedPublication_leavesTheChangeDoneAndIsCounted(MotoServer moto, LocalTables tables) {
        ExperimentsHandler handler = handler(tables, new S3PayloadPublisher(s3(moto), "payload-bucket-never-created",
                S3PayloadPublisher.DEFAULT_KEY, Duration.ofSeconds(10)));

        assertEquals(201, call(handler, event("POST", "/experiments", null, null, Fixtures.EXAMPLE)).status());

        assertEquals(List.of(PayloadPublication.FAILURE_METRIC), metrics.stream().map(MetricDatum::name).toList());
        assertEquals(200, call(handler, event("GET", "/experiments/{key}", "checkout-button", null, null)).status());
    }

    @Test
    void offByDefault_publishesNothing(MotoServer moto, LocalTables tables) {
        S3Client s3 = s3(moto);
        s3.createBucket(b -> b.bucket("payload-off-test"));
        ExperimentsHandler handler = Fixtures.handler(tables, notification -> { });

        assertEquals(201, call(handler, event("POST", "/experiments", null, null, Fixtures.EXAMPLE)).status());
        assertEquals(200, call(handler, event("POST", "/experiments/{key}/start", "checkout-button", null, null)).status());

        assertEquals(0, s3.listObjectsV2(b -> b.bucket("payload-off-test")).keyCount());
    }
}
