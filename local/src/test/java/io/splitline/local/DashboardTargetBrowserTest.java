package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.devkit.MotoServer;
import io.splitline.devkit.MotoServerExtension;
import java.net.URI;
import java.nio.file.Path;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The rollout page's target card ({@code dashboard/rollout-target.js}) in a real headless browser: a local
 * stack on {@code --aws-endpoint} moto_server steps a rollout of a SageMaker endpoint to its first stage,
 * and the card shows the target and the weights the step read, as the API answers them.
 */
@ExtendWith(MotoServerExtension.class)
class DashboardTargetBrowserTest {
    private static final String ADMIN_KEY = "admin-key-for-target-card";

    @Test
    void rolloutPage_showsTheTargetAndItsLiveWeights(MotoServer moto) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find().orElse(null);
        Assumptions.assumeTrue(chromium != null, HeadlessChromium.MISSING);
        SageMakerClient sageMaker = MotoEndpoints.client(moto);
        String endpoint = "splitline-target-card-" + ProcessHandle.current().pid();
        MotoEndpoints.create(sageMaker, endpoint);

        try (LocalStack stack = LocalStack.start(LocalOptions.parse("--port", "0", "--admin-key", ADMIN_KEY,
                "--step-interval", "PT0.3S", "--aws-endpoint", moto.endpoint().toString()))) {
            ApiClient admin = new ApiClient(stack.baseUri(), ADMIN_KEY);
            admin.post("/rollouts", """
                    {"key": "gbm-card", "stages": [{"percent": 10, "bake": "P1D"}, {"percent": 100, "bake": "PT0S"}],
                     "target": {"type": "sagemaker-variants", "endpointName": "%s", "controlVariant": "rf", "treatmentVariant": "gbm"}}"""
                    .formatted(endpoint)).expect(201);
            admin.post("/rollouts/gbm-card/start", null).expect(200);
            JsonNode rollout = awaitFirstStageWeights(admin);

            Document dom = chromium.render(URI.create(stack.baseUri() + "/#/rollouts/gbm-card?key=" + ADMIN_KEY),
                    Path.of(System.getProperty("basedir", ".")).resolve("target/dashboard-rollout-target.png"), 2000);
            Element card = dom.getElementById("rollout-target");
            assertNotNull(card, () -> "no target card in:\n" + dom.outerHtml());
            assertEquals("sagemaker-variants", card.attr("data-type"));
            assertEquals("Target: SageMaker variants", card.selectFirst("#target-title").text());
            JsonNode weights = rollout.at("/lastDecision/observations/target/weights");
            for (String variant : new String[] {"rf", "gbm"}) {
                Element row = card.selectFirst("#target-weights tr[data-name=" + variant + "]");
                assertNotNull(row, card::outerHtml);
                assertEquals(Math.round(weights.get(variant).asDouble() * 100) + "%", row.selectFirst("td.num").text(), card.outerHtml());
            }
            assertEquals("10%", card.selectFirst("#target-weights tr[data-name=gbm] td.num").text(), "the step's reading after its own update");
        }
    }

    /** The rollout once a step read back the first stage's weights it had set (a later step than the one that set them). */
    private static JsonNode awaitFirstStageWeights(ApiClient admin) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode rollout = admin.get("/rollouts/gbm-card").expect(200);
        while (rollout.at("/lastDecision/observations/target/weights/gbm").asDouble() < 0.1 && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling the stack's own timer; nothing is asserted on time
            rollout = admin.get("/rollouts/gbm-card").expect(200);
        }
        return rollout;
    }
}
