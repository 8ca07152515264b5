package io.splitline.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

    @ParameterizedTest(name = "{0} reads {1}")
    @CsvSource({"PT0S, 0 s", "PT3.822838452S, 3.8 s", "PT3.899S, 3.8 s", "PT4S, 4 s", "PT59.99S, 59.9 s",
        "PT1M, 1 min", "PT17M, 17 min", "PT29M59.999S, 29 min 59 s", "PT1H, 1 h", "PT1H30M, 1 h 30 min",
        "PT1H0M5S, 1 h", "PT48H, 2 d", "PT52H, 2 d 4 h", "P30D, 30 d"})
    void durationsAreWrittenForPeople(String iso, String expected) {
        assertEquals(expected, HumanDuration.of(Duration.parse(iso)));
    }
}
