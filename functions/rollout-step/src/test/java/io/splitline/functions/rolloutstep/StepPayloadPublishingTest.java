package io.splitline.functions.rolloutstep;

import static io.splitline.functions.rolloutstep.StepFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import io.splitline.json.Json;
import io.splitline.rollout.RolloutAction;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutService;
import io.splitline.rollout.health.CloudWatchHealthSource;
import io.splitline.sdk.S3PayloadPublisher;
import io.splitline.store.DynamoDbDefinitionStore;
import io.splitline.store.TableNames;
import io.splitline.wiring.Wiring;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.s3.S3Client;

/** A step that advances a rollout publishes the payload with the new percentage (S3 on moto_server). */
@ExtendWith({DynamoDbLocalExtension.class, MotoServerExtension.class})
class StepPayloadPublishingTest {

    @Test
    void anAdvancedRollout_reachesThePublishedPayload(MotoServer moto, LocalTables tables) {
        TableNames names = TableNames.fromLogicalIds(tables.names());
        RolloutService rollouts = new RolloutService(new DynamoDbDefinitionStore(tables.client(), names.definitions()),
                Clock.fixed(T0, ZoneOffset.UTC));
        rollouts.create(RolloutJson.parseSpec(Json.parse("""
                {"key": "new-ranker", "stages": [{"percent": 5, "bake": "PT30M"}, {"percent": 100, "bake": "PT0S"}]}""")),
                "ada");
        rollouts.act("new-ranker", RolloutAction.START, "ada");
        S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(moto.region()).forcePathStyle(true)
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        s3.createBucket(b -> b.bucket("step-payload-test"));
        CloudWatchClient cloudWatch = CloudWatchClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        Wiring wiring = Wiring.of(tables.client(), names, Clock.fixed(T0.plus(Duration.ofMinutes(30)), ZoneOffset.UTC),
                datum -> { }, Map.of());
        RolloutStepHandler handler = new RolloutStepHandler(wiring, new CloudWatchHealthSource(cloudWatch), n -> { })
                .publishingTo(wiring, new S3PayloadPublisher(s3, "step-payload-test", S3PayloadPublisher.DEFAULT_KEY,
                        Duration.ofSeconds(10)));

        handler.handleRequest(null, null);

        JsonNode payload = Json.parse(s3.getObjectAsBytes(b -> b.bucket("step-payload-test").key("sdk/payload.json"))
                .asUtf8String());
        JsonNode rule = payload.get("features").get("new-ranker").get("rules").get(0);
        assertEquals(Json.parse("[[1.0, 1.0], [0.0, 1.0]]"), rule.get("ranges"), payload.toString());
    }
}
