package io.splitline.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.experiment.ExperimentLimits;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardsTest {
    @Test
    void theCountsNest_soReadingAllShardsIsRightForAnyCount() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String streamShard = String.format(Locale.ROOT, "shardId-00000001700000000000-%08x", i * 7919);
            int of16 = Shards.of(streamShard);
            seen.add(of16);
            for (int count : ExperimentLimits.AGGREGATE_SHARD_COUNTS) {
                int shard = Shards.of(streamShard, count);
                assertTrue(shard >= 0 && shard < count, streamShard + " among " + count);
                assertEquals(of16 % count, shard, "the shard among " + count + " is the shard among 16, modulo " + count);
            }
        }
        assertEquals(Shards.COUNT, seen.size(), "stream shards spread over every one of the 16");
    }

    @Test
    void everyCountAnExperimentMayChoose_isOneTheReadersRead_andTheLegacyCountIsAll() {
        ExperimentLimits.AGGREGATE_SHARD_COUNTS.forEach(count -> Shards.of("s", count));
        assertTrue(ExperimentLimits.AGGREGATE_SHARD_COUNTS.contains(ExperimentLimits.DEFAULT_AGGREGATE_SHARDS));
        assertEquals(Shards.COUNT, ExperimentLimits.LEGACY_AGGREGATE_SHARDS);
        assertEquals(Shards.COUNT, ExperimentLimits.AGGREGATE_SHARD_COUNTS.stream().mapToInt(Integer::intValue).max().orElseThrow());
        for (int bad : new int[] {0, 3, 6, 32, -4}) {
            assertThrows(IllegalArgumentException.class, () -> Shards.of("s", bad), "count " + bad);
        }
    }
}
