package io.splitline.rollout.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.error.InvalidFieldException;
import io.splitline.json.Json;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutJson;
import io.splitline.rollout.RolloutSpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A rollout's {@code target} in the API and stored form. */
class TargetJsonTest {
    private static RolloutSpec spec(String target) {
        return RolloutJson.parseSpec(Json.parse("""
                {"key": "ranker-v2", "stages": [{"percent": 100, "bake": "PT0S"}], "target": %s}""".formatted(target)));
    }

    @Test
    void bothTypes_roundTripThroughTheStoredForm() {
        for (String target : new String[]{
                "{\"type\": \"lambda-alias\", \"functionName\": \"ranker\", \"alias\": \"live\", \"controlVersion\": \"3\", \"treatmentVersion\": \"4\"}",
                "{\"type\": \"sagemaker-variants\", \"endpointName\": \"ranker\", \"controlVariant\": \"rf\", \"treatmentVariant\": \"gbm\"}"}) {
            Rollout r = Rollout.draft(spec(target), Instant.parse("2026-11-24T10:00:00Z"), "ada");
            assertEquals(r, RolloutJson.fromJson(Json.parse(Json.write(RolloutJson.toJson(r)))));
            assertEquals(Json.parse(target), RolloutJson.toJson(r).get("target"));
        }
        assertEquals(new LambdaAliasTarget("ranker", "live", "3", "4"), spec("""
                {"type": "lambda-alias", "functionName": "ranker", "alias": "live", "controlVersion": "3", "treatmentVersion": "4"}""").target());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\": \"alb\"}|target.type|must be 'lambda-alias' or 'sagemaker-variants'",
            "{\"type\": \"lambda-alias\", \"functionName\": \"arn:aws:lambda:us-east-1:1:function:x\", \"alias\": \"live\", \"controlVersion\": \"3\", \"treatmentVersion\": \"4\"}|target.functionName|not an ARN",
            "{\"type\": \"lambda-alias\", \"functionName\": \"ranker\", \"alias\": \"live\", \"controlVersion\": \"3\", \"treatmentVersion\": \"$LATEST\"}|target.treatmentVersion|$LATEST cannot be routed",
            "{\"type\": \"lambda-alias\", \"functionName\": \"ranker\", \"alias\": \"live\", \"controlVersion\": \"3\", \"treatmentVersion\": \"3\"}|target.treatmentVersion|must differ from the control",
            "{\"type\": \"lambda-alias\", \"functionName\": \"ranker\", \"alias\": \"12\", \"controlVersion\": \"3\", \"treatmentVersion\": \"4\"}|target.alias|not all digits",
            "{\"type\": \"sagemaker-variants\", \"endpointName\": \"ranker\", \"controlVariant\": \"rf\", \"treatmentVariant\": \"gbm_2\"}|target.treatmentVariant|production variant name",
            "{\"type\": \"sagemaker-variants\", \"endpointName\": \"ranker\", \"controlVariant\": \"rf\", \"treatmentVariant\": \"gbm\", \"alias\": \"x\"}|target.alias|alias",
    })
    void invalidTargets_nameTheFieldAndTheFix(String target, String field, String message) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> spec(target));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
