package io.splitline.rollout;

import io.splitline.json.JsonValue;
import io.splitline.store.HistoryEntry;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * When a rollout's history entry continues the previous one instead of adding a row: the scheduled step
 * writes a version at every run, and a stage baking for a day would otherwise leave 1,440 {@code hold}
 * entries. Two entries are the same hold when both are {@code hold}s by the same actor at the same
 * status, stage and percents, for the same reason apart from its figures (numbers and durations, with
 * their units: "baking: PT17M30S of PT1H elapsed" continues "baking: PT16M of PT1H elapsed", while
 * "check 'errors' has 2 of 5 data points" after a "baking" hold starts a new entry). The collapsed entry keeps the first hold's time and version, counts
 * the holds, and shows the latest one's reason and observations (the rollout's {@code lastDecision} has
 * them too).
 */
final class HoldRun {
    private static final List<String> SAME_FIELDS = List.of("status", "stageIndex", "fromPercent", "toPercent");
    /**
     * A figure: a number, or a duration in ISO-8601 ({@code PT1H2M3.5S}) or in words, of one or more
     * parts ({@code 3.8 s}, {@code 29 min 59 s}, {@code 1 d 2 h}): "3.8 s of 1 h" and "29 min 59 s of
     * 30 min" are the same reason.
     */
    private static final Pattern FIGURE = Pattern.compile(
            "(?:\\bPT?)?\\d[\\d.]*(?:\\s?(?:ms\\b|min\\b|[DHMS]|[dhms]\\b))?(?:\\s?\\d[\\d.]*(?:\\s?(?:ms\\b|min\\b|[DHMS]|[dhms]\\b))?)*");

    private HoldRun() {
    }

    /** True when {@code next} continues the run of {@code last} (both in store form). */
    static boolean continues(HistoryEntry last, HistoryEntry next) {
        String hold = Decision.HOLD.json();
        if (!hold.equals(last.action()) || !hold.equals(next.action()) || !last.actor().equals(next.actor())) {
            return false;
        }
        for (String field : SAME_FIELDS) {
            if (!Objects.equals(last.changes().fields().get(field), next.changes().fields().get(field))) {
                return false;
            }
        }
        return withoutFigures(reason(last)).equals(withoutFigures(reason(next)));
    }

    private static String reason(HistoryEntry e) {
        return e.changes().fields().get("reason") instanceof JsonValue.JsonString s ? s.value() : "";
    }

    private static String withoutFigures(String reason) {
        return FIGURE.matcher(reason).replaceAll("#");
    }
}
