package io.splitline.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.EnumCodec;
import io.splitline.json.Json;

/** The JSON of a {@link ScheduledAction}, as the rollout step function answers it under {@code scheduled}. */
public final class ScheduledActionJson {
    private ScheduledActionJson() {
    }

    public static ObjectNode toJson(ScheduledAction action) {
        ObjectNode node = Json.object();
        node.put("kind", action.kind().label());
        node.put("key", action.key());
        node.put("result", EnumCodec.name(action.result()));
        node.put("action", action.action());
        node.put("detail", action.detail());
        return node;
    }
}
