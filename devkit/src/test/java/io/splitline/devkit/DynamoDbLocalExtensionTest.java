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
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

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

    /**
     * The sweeper deletes by the wall clock, and the tests run on fixed clocks: with TTL on, an item stamped to
     * expire on a date now past vanished mid-test (MarkerPruningDynamoDbTest's decided point, once the calendar
     * passed its fixed clock + 48 h). The stack's own tables keep TTL as the template sets it.
     */
    @Test
    void testTables_haveTtlOff_whileTheStacksTablesHaveItWhereTheTemplateSetsIt(LocalTables tables) {
        SamTemplate template = SamTemplate.load();
        Map<String, String> stack = template.createTables(tables.client(), "stack_" + System.nanoTime() + "_");
        try {
            int expiring = 0;
            for (String logicalId : tables.names().keySet()) {
                assertEquals(TimeToLiveStatus.DISABLED, ttl(tables, tables.name(logicalId)), logicalId + " in a test");
                var attribute = template.ttlAttribute(logicalId);
                if (attribute.isPresent()) {
                    expiring++;
                    var stacks = tables.client().describeTimeToLive(b -> b.tableName(stack.get(logicalId))).timeToLiveDescription();
                    assertEquals(TimeToLiveStatus.ENABLED, stacks.timeToLiveStatus(), logicalId + " in the stack");
                    assertEquals(attribute.get(), stacks.attributeName(), logicalId);
                }
            }
            assertTrue(expiring >= 2, "the template sets TTL on the events and aggregates tables");
        } finally {
            stack.values().forEach(name -> tables.client().deleteTable(b -> b.tableName(name)));
        }
    }

    private static TimeToLiveStatus ttl(LocalTables tables, String table) {
        return tables.client().describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription().timeToLiveStatus();
    }
}
