package io.splitline.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CiTest {

    @ParameterizedTest(name = "CI=''{0}'' is CI: {1}")
    @CsvSource({"true, true", "1, true", "yes, true", "TRUE, true", "false, false", "FALSE, false", "0, false",
        "' ', false", "'', false"})
    void ciSetToFalseZeroOrEmpty_isNotCi_anythingElseIs(String value, boolean ci) {
        assertEquals(ci, Ci.isSet(Map.of("CI", value)));
    }

    @Test
    void ciUnset_isNotCi() {
        assertFalse(Ci.isSet(new HashMap<>()));
    }
}
