package io.splitline.experiment;

import io.splitline.json.EnumCodec;

/** Which way is better for a metric. */
public enum Direction {
    INCREASE, DECREASE;

    public String json() {
        return EnumCodec.name(this);
    }
}
