package io.splitline.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Durations written for people in decision reasons: {@code 3.8 s}, {@code 17 min}, {@code 1 h},
 * {@code 1 h 30 min}, {@code 2 d 4 h}. Below a minute, seconds with one decimal (truncated, so a
 * bake is never shown as over before it is); above, the two largest whole units. The observations keep
 * the exact ISO-8601 form for machines.
 */
public final class HumanDuration {
    private HumanDuration() {
    }

    public static String of(Duration d) {
        if (d.isNegative()) {
            return "-" + of(d.negated());
        }
        if (d.compareTo(Duration.ofMinutes(1)) < 0) {
            long tenths = d.toMillis() / 100;
            return tenths % 10 == 0 ? tenths / 10 + " s" : String.format(Locale.ROOT, "%d.%d s", tenths / 10, tenths % 10);
        }
        long[] amounts = {d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart()};
        String[] units = {"d", "h", "min", "s"};
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < amounts.length && parts.size() < 2; i++) {
            if (amounts[i] > 0) {
                parts.add(amounts[i] + " " + units[i]);
            } else if (!parts.isEmpty()) {
                break; // "1 h 0 min 5 s" is "1 h": the two largest units that are next to each other
            }
        }
        return String.join(" ", parts);
    }
}
