package io.splitline.rollout.health;

import io.splitline.json.EnumCodec;

/** Whether a check reads one metric or the ratio of two. */
public enum CheckKind {
    METRIC, RATIO;

    public String json() {
        return EnumCodec.name(this);
    }
}
