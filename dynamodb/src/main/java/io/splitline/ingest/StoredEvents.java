package io.splitline.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads a stored raw event back from its item image (a stream record's {@code NewImage}), for the stream
 * fold. An item without {@code key} is a keyless event; string {@code attributes} are kept (for segments).
 */
public final class StoredEvents {
    private StoredEvents() {
    }

    public static IngestEvent fromImage(Map<String, AttributeValue> image) {
        String metric = text(image, EventTable.METRIC);
        AttributeValue value = image.get(EventTable.VALUE);
        Map<String, BigDecimal> covariates = new HashMap<>();
        AttributeValue stored = image.get(EventTable.COVARIATES);
        if (stored != null && stored.hasM()) {
            stored.m().forEach((m, x) -> covariates.put(m, new BigDecimal(x.n())));
        }
        Map<String, String> attributes = new HashMap<>();
        AttributeValue named = image.get(EventTable.ATTRIBUTES);
        if (named != null && named.hasM()) {
            named.m().forEach((name, v) -> {
                if (v.s() != null) {
                    attributes.put(name, v.s());
                }
            });
        }
        String key = text(image, EventTable.KEY);
        return new IngestEvent(0, text(image, EventTable.EVENT_ID), key, text(image, EventTable.UNIT_ID),
                "exposure".equals(text(image, EventTable.TYPE)) ? EventType.EXPOSURE : EventType.METRIC, metric,
                value == null ? BigDecimal.ZERO : new BigDecimal(value.n()),
                Instant.parse(text(image, EventTable.TIMESTAMP)), key == null, covariates, attributes);
    }

    private static String text(Map<String, AttributeValue> image, String name) {
        AttributeValue v = image.get(name);
        return v == null ? null : v.s();
    }
}
