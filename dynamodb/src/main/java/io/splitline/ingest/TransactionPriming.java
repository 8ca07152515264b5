package io.splitline.ingest;

import io.splitline.aggregate.AggregateTable;
import io.splitline.store.TableNames;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Primes the exposure write path for a SnapStart snapshot without writing anything: one
 * {@code TransactWriteItems} of the shape of a first exposure (a conditional Put in the units table, an
 * Update in the aggregates table) whose conditions contradict themselves, so DynamoDB always cancels it
 * ({@code attribute_exists(#pk) AND attribute_not_exists(#pk)}), whatever the tables hold. The request's
 * marshalling, signing, the transaction's HTTP exchange and the cancellation's unmarshalling are then in
 * the snapshot instead of on the first tracked request after a restore. It needs no permission an exposure
 * does not already need ({@code PutItem} on the units table, {@code UpdateItem} on the aggregates table).
 */
public final class TransactionPriming {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionPriming.class);
    private static final String NEVER = "attribute_exists(#pk) AND attribute_not_exists(#pk)";

    private TransactionPriming() {
    }

    /** Sends the refused transaction; true when DynamoDB cancelled it, as it always should. Best effort: never throws. */
    public static boolean prime(DynamoDbClient dynamo, TableNames tables) {
        String key = "splitline-priming#" + UUID.randomUUID();
        Put unit = Put.builder().tableName(tables.units())
                .item(Map.of(UnitTable.PK, AttributeValue.fromS(key), UnitTable.SK, AttributeValue.fromS("priming"),
                        UnitTable.VERSION, AttributeValue.fromN("1")))
                .conditionExpression(NEVER)
                .expressionAttributeNames(Map.of("#pk", UnitTable.PK))
                .build();
        Update aggregate = Update.builder().tableName(tables.aggregates())
                .key(Map.of(AggregateTable.PK, AttributeValue.fromS(key), AggregateTable.SK, AttributeValue.fromS("priming")))
                .updateExpression("ADD #u :one")
                .conditionExpression(NEVER)
                .expressionAttributeNames(Map.of("#pk", AggregateTable.PK, "#u", AggregateTable.UNITS))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                .build();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(unit).build(),
                    TransactWriteItem.builder().update(aggregate).build()).clientRequestToken(UUID.randomUUID().toString()));
            LOG.warn("the priming transaction was not refused; check its conditions");
            return false;
        } catch (TransactionCanceledException expected) {
            return true;
        } catch (RuntimeException e) {
            LOG.warn("priming the exposure transaction failed; the first tracked request will load its classes itself", e);
            return false;
        }
    }
}
