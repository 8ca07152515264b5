package io.splitline.experiment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.error.InvalidFieldException;
import io.splitline.error.StateConflictException;
import io.splitline.json.Json;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A mean metric's {@code cap}: its validation, its stored form, and that it is fixed once the experiment runs. */
class MetricCapTest {
    private static ExperimentSpec spec(String metrics) {
        return ExperimentJson.parseSpec(Json.parse(("{'key': 'capped', 'variants': [{'key': 'a', 'weight': 0.5}, {'key': 'b', 'weight': 0.5}],"
                + "'metrics': [" + metrics + "]}").replace('\'', '"')));
    }

    private static String invalidField(String metric) {
        return assertThrows(InvalidFieldException.class, () -> spec(metric)).field();
    }

    @Test
    void aCap_isParsed_andRoundTripsInItsPlainForm() {
        ExperimentSpec spec = spec("{'key': 'revenue', 'type': 'mean', 'cap': {'value': 100}}");

        assertEquals(new BigDecimal("100"), spec.metrics().get(0).cap().value());
        assertEquals("{\"value\":100}", ExperimentJson.specToJson(spec).get("metrics").get(0).get("cap").toString());
        assertEquals(spec, ExperimentJson.parseSpec(ExperimentJson.specToJson(spec)));
        assertEquals(new BigDecimal("0.5"), spec("{'key': 'revenue', 'type': 'mean', 'cap': {'value': 0.5}}").metrics().get(0).cap().value());
    }

    @Test
    void aBadCap_isRefusedNamingItsField() {
        for (String value : new String[] {"0", "-5", "2e9", "0.0000001", "'100'"}) {
            assertEquals("metrics[0].cap.value", invalidField("{'key': 'revenue', 'type': 'mean', 'cap': {'value': " + value + "}}"), value);
        }
        assertEquals("metrics[0].cap", invalidField("{'key': 'revenue', 'type': 'mean', 'cap': {}}"));
        assertEquals("metrics[0].cap", invalidField("{'key': 'revenue', 'type': 'mean', 'cap': {'value': 1, 'percentile': 0.9}}"));
        assertEquals("metrics[0].cap.lower", invalidField("{'key': 'revenue', 'type': 'mean', 'cap': {'value': 1, 'lower': 0}}"));
        assertEquals("metrics[0].cap", invalidField("{'key': 'revenue', 'type': 'mean', 'cap': 100}"));
        assertEquals("metrics[0].cap", invalidField("{'key': 'buy', 'type': 'conversion', 'cap': {'value': 1}}"));
        assertEquals("metrics[1].cap", invalidField("{'key': 'revenue', 'type': 'mean'}, "
                + "{'key': 'r', 'type': 'ratio', 'numerator': 'revenue', 'denominator': 's', 'cap': {'value': 1}}"));
    }

    @Test
    void theCapIsFixedWhileRunning_asIsAddingACappedOrRatioMetric_butADraftMayChangeIt() {
        String revenue = "{'key': 'revenue', 'type': 'mean', 'cap': {'value': 100}}";
        ExperimentSpec current = spec(revenue);
        ExperimentSpec otherCap = spec("{'key': 'revenue', 'type': 'mean', 'cap': {'value': 200}}");
        ExperimentSpec uncapped = spec("{'key': 'revenue', 'type': 'mean'}");
        ExperimentSpec newCapped = spec(revenue + ", {'key': 'refund', 'type': 'mean', 'cap': {'value': 5}}");
        ExperimentSpec newRatio = spec(revenue + ", {'key': 'rps', 'type': 'ratio', 'numerator': 'revenue', 'denominator': 's'}");
        ExperimentSpec newMean = spec(revenue + ", {'key': 'refund', 'type': 'mean'}");

        assertEquals("metrics[0].cap", conflict(current, otherCap).field());
        assertEquals("metrics[0].cap", conflict(current, uncapped).field());
        assertEquals("metrics[0].cap", conflict(uncapped, current).field());
        assertEquals("metrics[1].cap", conflict(current, newCapped).field());
        StateConflictException ratio = conflict(current, newRatio);
        assertEquals("metrics[1].type", ratio.field());
        assertTrue(ratio.getMessage().contains("changeable in draft only"), ratio.getMessage());
        assertDoesNotThrow(() -> ChangePolicy.check(ExperimentStatus.RUNNING, current, newMean, SpecDiff.between(current, newMean)));
        assertDoesNotThrow(() -> ChangePolicy.check(ExperimentStatus.DRAFT, current, otherCap, SpecDiff.between(current, otherCap)));
        assertEquals("metrics[0].cap", assertThrows(StateConflictException.class, () -> MetricSums.checkUnchanged(
                ExperimentStatus.PAUSED, current.metrics(), otherCap.metrics())).field(), "the holdouts' rule too");
    }

    @Test
    void whileRunning_aPercentileCapMayMove_butNotComeOrGo() {
        ExperimentSpec p90 = spec("{'key': 'revenue', 'type': 'mean', 'cap': {'percentile': 0.9}}");
        ExperimentSpec p99 = spec("{'key': 'revenue', 'type': 'mean', 'cap': {'percentile': 0.99}}");
        ExperimentSpec uncapped = spec("{'key': 'revenue', 'type': 'mean'}");

        assertDoesNotThrow(() -> ChangePolicy.check(ExperimentStatus.RUNNING, p90, p99, SpecDiff.between(p90, p99)));
        StateConflictException gained = conflict(uncapped, p90);
        assertEquals("metrics[0].cap", gained.field());
        assertTrue(gained.getMessage().contains("cannot gain a cap.percentile"), gained.getMessage());
        assertEquals("metrics[0].cap", conflict(p90, uncapped).field());
        assertEquals("metrics[0].type", conflict(p90, spec("{'key': 'revenue', 'type': 'conversion'}")).field());
    }

    private static StateConflictException conflict(ExperimentSpec current, ExperimentSpec next) {
        return assertThrows(StateConflictException.class,
                () -> ChangePolicy.check(ExperimentStatus.RUNNING, current, next, SpecDiff.between(current, next)));
    }
}
