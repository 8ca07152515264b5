package io.splitline.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

@ExtendWith(DynamoDbLocalExtension.class)
class DynamoDbLocalExtensionTest {

    @Test
    void everyTemplateTable_existsWithTheTemplatesKeySchemaAndIndexes(LocalTables tables) {
        Map<String, CreateTableRequest> expected = SamTemplate.load().tableRequests("");
        assertTrue(!expected.isEmpty(), "the template declares tables");
        expected.forEach((logicalId, request) -> {
            TableDescription actual = tables.client().describeTable(b -> b.tableName(tables.name(logicalId))).table();
            assertEquals(request.keySchema(), actual.keySchema(), logicalId + " key schema");
            assertEquals(request.globalSecondaryIndexes().size(), actual.globalSecondaryIndexes().size(), logicalId + " indexes");
            for (int i = 0; i < request.globalSecondaryIndexes().size(); i++) {
                assertEquals(request.globalSecondaryIndexes().get(i).keySchema(),
                        actual.globalSecondaryIndexes().get(i).keySchema(), logicalId + " index key schema");
            }
        });
    }

    @Test
    void conditionalWrites_areEnforcedByTheRealEngine(LocalTables tables) {
        String table = tables.name("DefinitionsTable");
        Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("x"), "sk", AttributeValue.fromS("y"));
        tables.client().putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        assertThrows(ConditionalCheckFailedException.class, () -> tables.client().putItem(b -> b
                .tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")));
    }

    @Test
    void eachTest_getsItsOwnEmptyTables(LocalTables tables) {
        assertEquals(0, tables.client().scan(b -> b.tableName(tables.name("DefinitionsTable"))).count());
    }
}
