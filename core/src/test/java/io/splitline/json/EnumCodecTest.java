package io.splitline.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.experiment.MultipleTestingCorrection;
import io.splitline.rollout.Comparison;
import io.splitline.rollout.RolloutStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one enum ↔ JSON name mapping: lower-case names by default, an enum's own names when it has them. */
class EnumCodecTest {
    @Test
    void aConstant_isNamedInLowerCase_andReadBack() {
        assertEquals("benjamini_hochberg", EnumCodec.name(MultipleTestingCorrection.BENJAMINI_HOCHBERG));
        for (RolloutStatus status : RolloutStatus.values()) {
            assertEquals(Optional.of(status), EnumCodec.parse(RolloutStatus.class, EnumCodec.name(status)));
        }
        assertEquals(Optional.of(RolloutStatus.IN_PROGRESS), RolloutStatus.fromJson("in_progress"));
    }

    @Test
    void onlyTheExactJsonName_matches() {
        assertEquals(Optional.empty(), EnumCodec.parse(RolloutStatus.class, "IN_PROGRESS"));
        assertEquals(Optional.empty(), EnumCodec.parse(RolloutStatus.class, "in-progress"));
        assertEquals(Optional.empty(), EnumCodec.parse(RolloutStatus.class, null));
    }

    @Test
    void anEnumWithNamesOfItsOwn_isReadByThem() {
        assertEquals(Optional.of(Comparison.GREATER_THAN_THRESHOLD), Comparison.fromJson("GreaterThanThreshold"));
        assertEquals(Optional.empty(), Comparison.fromJson("greater_than_threshold"));
        assertEquals(List.of("GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold",
                "LessThanOrEqualToThreshold"), EnumCodec.names(Comparison.class, Comparison::json));
    }

    @Test
    void names_listEveryConstant_inDeclarationOrder() {
        assertEquals(List.of("holm", "benjamini_hochberg"), EnumCodec.names(MultipleTestingCorrection.class));
    }
}
