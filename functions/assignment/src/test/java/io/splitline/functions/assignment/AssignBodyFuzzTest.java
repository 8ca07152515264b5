package io.splitline.functions.assignment;

import static io.splitline.functions.assignment.AssignmentHandlerTest.CHECKOUT;
import static io.splitline.functions.assignment.AssignmentHandlerTest.assign;
import static io.splitline.functions.assignment.AssignmentHandlerTest.createRunning;
import static io.splitline.functions.assignment.AssignmentHandlerTest.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.devkit.DynamoDbLocalExtension;
import io.splitline.devkit.LocalTables;
import io.splitline.http.BodyFuzz;
import io.splitline.http.HandlerCalls;
import io.splitline.json.Json;
import io.splitline.store.TableNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fixed-seed fuzz test ({@link BodyFuzz}) of POST /assign: the sample body of {@code events/assign.json},
 * mutated at random JSON paths, through the real handler on DynamoDB Local, with a running experiment it
 * names. Whatever the body, the answer is a 2xx or a 4xx with the documented error body, never a 5xx.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class AssignBodyFuzzTest {
    private static final long SEED = 0x5EED_F022L ^ (5L << 32);

    @Test
    void assign_neverAnswers5xx(LocalTables local) {
        TableNames tables = TableNames.fromLogicalIds(local.names());
        createRunning(local.client(), tables, CHECKOUT);
        ObjectNode valid = (ObjectNode) Json.parse(HandlerCalls.sample("assign.json").getBody());
        BodyFuzz.run(handler(local.client(), tables), "POST /assign", SEED, 1000,
                i -> valid.deepCopy().put("unitId", "user-" + i), body -> assign(body), answer -> { });
    }
}
