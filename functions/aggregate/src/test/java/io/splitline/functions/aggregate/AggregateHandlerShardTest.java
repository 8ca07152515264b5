package io.splitline.functions.aggregate;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbTimeWindowEvent;
import org.junit.jupiter.api.Test;

/**
 * Review finding 8: only the tumbling-window form of the stream event names its shard. A mapping deployed without
 * {@code TumblingWindowInSeconds} sends the plain form; the handler must refuse it by name rather than fail on a
 * null shard id deep in the fold.
 */
class AggregateHandlerShardTest {
    @Test
    void aStreamEventWithoutItsShard_isRefusedWithTheMappingSettingToFix() {
        DynamodbTimeWindowEvent plain = AggregateHandlerTest.sample();
        plain.setShardId(null);
        AggregateHandler handler = new AggregateHandler(new io.splitline.ingest.StreamAggregator(null, null)); // never reached

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> handler.handleRequest(plain, null));
        assertTrue(refused.getMessage().contains("TumblingWindowInSeconds"), refused.getMessage());
    }
}
