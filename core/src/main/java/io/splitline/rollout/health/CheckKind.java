package io.splitline.rollout.health;

import java.util.Locale;

/** Whether a check reads one metric or the ratio of two. */
public enum CheckKind {
    METRIC, RATIO;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
