package io.splitline.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.experiment.ExperimentJson;
import io.splitline.experiment.ExperimentService;
import io.splitline.experiment.LifecycleAction;
import io.splitline.json.Json;
import io.splitline.metrics.MetricDatum;
import io.splitline.store.InMemoryDefinitionStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is published after a change: the store's state re-read; failures counted, never thrown. */
class PayloadPublicationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String SPEC = "{\"key\": \"checkout-button\", \"variants\": ["
            + "{\"key\": \"control\", \"weight\": 0.5}, {\"key\": \"green\", \"weight\": 0.5}]}";

    private final InMemoryDefinitionStore store = new InMemoryDefinitionStore();
    private final List<String> published = new ArrayList<>();
    private final List<MetricDatum> metrics = new ArrayList<>();

    @Test
    void publishesThePayloadOfWhatTheStoreHoldsNow() {
        ExperimentService experiments = new ExperimentService(store, CLOCK);
        experiments.create(ExperimentJson.parseSpec(Json.parse(SPEC)), "test");
        PayloadPublication publication = new PayloadPublication(store, (json, etag) -> published.add(etag + " " + json),
                metrics::add, CLOCK);

        assertTrue(publication.publishCurrent());
        experiments.transition("checkout-button", LifecycleAction.START, "test");
        assertTrue(publication.publishCurrent());

        assertEquals(2, published.size());
        assertTrue(published.get(0).endsWith("{\"features\":{},\"omitted\":[]}"), published.get(0));
        assertTrue(published.get(1).contains("\"checkout-button\":{\"defaultValue\":null"), published.get(1));
        assertTrue(metrics.isEmpty());
    }

    @Test
    void aFailedPublication_isCountedNotThrown() {
        PayloadPublication publication = new PayloadPublication(store, (json, etag) -> {
            throw new IllegalStateException("bucket gone");
        }, metrics::add, CLOCK);

        assertFalse(publication.publishCurrent());
        assertEquals(List.of(PayloadPublication.FAILURE_METRIC), metrics.stream().map(MetricDatum::name).toList());
    }

    @Test
    void off_publishesNothing() {
        PayloadPublication publication = new PayloadPublication(store, PayloadPublisher.OFF, metrics::add, CLOCK);
        assertFalse(publication.enabled());
        assertTrue(publication.publishCurrent());
        assertTrue(metrics.isEmpty());
    }
}
