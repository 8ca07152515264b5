package io.splitline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.error.TooLargeException;
import io.splitline.json.Fields;
import io.splitline.json.Json;
import io.splitline.targeting.AttributesJson;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The body of {@code POST /events}, validated event by event: a bad event is rejected with its index and
 * field and does not spoil the rest of the batch. Only a malformed envelope (not an object, no
 * {@code events} array) or more than {@link #MAX_EVENTS} events fails the whole request. The body is
 * therefore parsed with {@link Json#parseSyntax}: an event with ill-formed text is rejected alone.
 *
 * @param events     the valid events, in batch order
 * @param rejections the invalid ones
 */
public record EventBatch(List<IngestEvent> events, List<Rejection> rejections) {
    public static final int MAX_EVENTS = 500;
    public static final int MAX_EVENT_ID_LENGTH = 128;
    /** Values are kept exact to this many decimal places (half-even rounding beyond). */
    public static final int VALUE_SCALE = 6;
    /** |value| above this is rejected: it keeps Σx² within DynamoDB's 38 significant digits. */
    public static final BigDecimal MAX_ABS_VALUE = new BigDecimal("1000000000");
    public static final Duration MAX_FUTURE = Duration.ofHours(24);
    /** An exposure names at most this many covariates. */
    public static final int MAX_COVARIATES = 20;
    private static final Set<String> FIELDS = Set.of("eventId", "key", "unitId", "type", "metric", "value", "timestamp",
            "covariates", "attributes");

    public EventBatch {
        events = List.copyOf(events);
        rejections = List.copyOf(rejections);
    }

    public static EventBatch parse(JsonNode body, Instant now) {
        Fields root = Fields.root(body).allowOnly(Set.of("events"));
        List<Fields.Element> elements = root.array("events");
        if (elements.size() > MAX_EVENTS) {
            throw new TooLargeException(
                    "a batch holds at most " + MAX_EVENTS + " events (got " + elements.size() + ")", "events");
        }
        List<IngestEvent> events = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            try {
                events.add(event(i, elements.get(i), now));
            } catch (InvalidFieldException e) {
                rejections.add(new Rejection(i, RejectionCodes.INVALID_REQUEST, e.getMessage(), e.field()));
            }
        }
        return new EventBatch(events, rejections);
    }

    private static IngestEvent event(int index, Fields.Element element, Instant now) {
        Json.requireWellFormedText(element.value(), element.path());
        Fields f = element.object().allowOnly(FIELDS);
        String eventId = f.string("eventId");
        if (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID_LENGTH || hasControlCharacter(eventId)) {
            throw new InvalidFieldException(f.path("eventId"),
                    f.path("eventId") + " must be 1-" + MAX_EVENT_ID_LENGTH + " printable characters");
        }
        String key = f.has("key") ? f.key("key") : null;
        String unitId = Fields.requireUnitId(f.string("unitId"), f.path("unitId"));
        EventType type = type(f);
        String metric = null;
        BigDecimal value = BigDecimal.ZERO;
        Map<String, BigDecimal> covariates = Map.of();
        Map<String, String> attributes = Map.of();
        if (type == EventType.METRIC && f.has("attributes")) {
            throw new InvalidFieldException(f.path("attributes"), f.path("attributes")
                    + ": only an exposure event carries attributes (its unit's segment values are fixed at exposure)");
        }
        if (type == EventType.EXPOSURE && f.has("attributes")) {
            attributes = AttributesJson.asText(AttributesJson.parse(f.object("attributes")));
        }
        if (type == EventType.METRIC && f.has("covariates")) {
            throw new InvalidFieldException(f.path("covariates"), f.path("covariates")
                    + ": only an exposure event carries covariates (send them on the unit's exposure)");
        } else if (type == EventType.METRIC) {
            metric = f.key("metric");
            value = f.has("value") ? value(f) : BigDecimal.ONE;
        } else if (f.has("metric") || f.has("value")) {
            String field = f.has("metric") ? "metric" : "value";
            throw new InvalidFieldException(f.path(field), "an exposure event has no " + field);
        } else if (key != null && f.has("covariates")) {
            covariates = covariates(f);
        } else if (key == null) {
            throw new InvalidFieldException(f.path("key"), f.path("key") + " is required on an exposure event: it names the"
                    + " experiment or rollout the unit was exposed to (only metric events may omit it)");
        }
        Instant timestamp = timestamp(f, now);
        return new IngestEvent(index, eventId, key, unitId, type, metric, value, timestamp, key == null, covariates, attributes);
    }

    private static EventType type(Fields f) {
        String type = f.optionalString("type").orElse("metric");
        return switch (type) {
            case "metric" -> EventType.METRIC;
            case "exposure" -> EventType.EXPOSURE;
            default -> throw new InvalidFieldException(f.path("type"), f.path("type") + " must be 'metric' or 'exposure'");
        };
    }

    private static BigDecimal value(Fields f) {
        return number(f.raw("value"), f.path("value"));
    }

    /** An exposure's {@code covariates} (of an event or {@code /assign}): metric key → the unit's pre-exposure total, for CUPED. */
    public static Map<String, BigDecimal> covariates(Fields f) {
        Fields covariates = f.object("covariates");
        if (covariates.node().size() > MAX_COVARIATES) {
            throw new InvalidFieldException(f.path("covariates"), f.path("covariates") + " holds at most " + MAX_COVARIATES + " metrics");
        }
        Map<String, BigDecimal> result = new TreeMap<>();
        covariates.node().fieldNames().forEachRemaining(metric -> {
            String path = covariates.path(metric);
            if (!Fields.KEY.matcher(metric).matches()) {
                throw new InvalidFieldException(path, path + ": a covariate is named by a metric key, " + Fields.KEY_RULE);
            }
            BigDecimal x = number(covariates.raw(metric), path);
            if (x.signum() != 0) {
                result.put(metric, x);
            }
        });
        return result;
    }

    private static BigDecimal number(JsonNode raw, String path) {
        if (!raw.isNumber()) {
            throw new InvalidFieldException(path, path + " must be a number");
        }
        BigDecimal value = raw.decimalValue();
        if (value.abs().compareTo(MAX_ABS_VALUE) > 0) {
            throw new InvalidFieldException(path, path + " must be a finite number of magnitude at most 1e9");
        }
        value = value.setScale(Math.min(Math.max(value.scale(), 0), VALUE_SCALE), RoundingMode.HALF_EVEN);
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    private static Instant timestamp(Fields f, Instant now) {
        String text = f.string("timestamp");
        Instant timestamp;
        try {
            timestamp = Instant.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(f.path("timestamp"),
                    f.path("timestamp") + " must be an ISO-8601 UTC timestamp such as 2026-11-24T10:00:00Z");
        }
        if (timestamp.isAfter(now.plus(MAX_FUTURE))) {
            throw new InvalidFieldException(f.path("timestamp"), f.path("timestamp") + " is more than 24 h in the future");
        }
        return timestamp;
    }

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
