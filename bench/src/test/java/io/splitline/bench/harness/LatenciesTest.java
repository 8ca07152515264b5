package io.splitline.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentiles_useTheNearestRank() {
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = 1000 - i; // given in reverse order
        }
        Latencies l = Latencies.of(nanos);

        assertEquals(500, l.median());
        assertEquals(990, l.percentile(0.99));
        assertEquals(999, l.percentile(0.999));
        assertEquals(1, l.percentile(0.0001));
        assertEquals(1000, l.max());
    }

    @Test
    void oneSample_isEveryPercentile() {
        Latencies l = Latencies.of(new long[] {42});

        assertEquals(42, l.median());
        assertEquals(42, l.percentile(0.99));
    }
}
