package io.splitline.sdk;

import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionSnapshot;

/**
 * Serves {@link SdkPayload}s from the assignment function's definitions cache: the payload is built
 * once per loaded snapshot, so a warm call neither reads DynamoDB nor rebuilds it.
 */
public final class SdkPayloadService {
    private final DefinitionCache definitions;
    private volatile Built last;

    private record Built(DefinitionSnapshot snapshot, SdkPayload payload) {
    }

    public SdkPayloadService(DefinitionCache definitions) {
        this.definitions = definitions;
    }

    /** The payload of the current definitions. */
    public SdkPayload current() {
        DefinitionSnapshot snapshot = definitions.current();
        Built built = last;
        if (built == null || built.snapshot() != snapshot) {
            built = new Built(snapshot, SdkPayload.of(snapshot));
            last = built;
        }
        return built.payload();
    }
}
