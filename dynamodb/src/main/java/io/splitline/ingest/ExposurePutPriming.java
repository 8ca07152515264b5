package io.splitline.ingest;

import io.splitline.store.TableNames;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Primes the exposure write path for a SnapStart snapshot without writing anything: one conditional
 * {@code PutItem} into the events table, of the shape of a tracked exposure's raw event, whose condition
 * contradicts itself ({@code attribute_exists(#pk) AND attribute_not_exists(#pk)}), so DynamoDB always refuses
 * it, whatever the table holds. The request's marshalling, signing, HTTP exchange and the refusal's
 * unmarshalling are then in the snapshot instead of on the first tracked request after a restore. It needs no
 * permission an exposure does not already need ({@code PutItem} on the events table).
 */
public final class ExposurePutPriming {
    private static final Logger LOG = LoggerFactory.getLogger(ExposurePutPriming.class);
    private static final String NEVER = "attribute_exists(#pk) AND attribute_not_exists(#pk)";

    private ExposurePutPriming() {
    }

    /** Sends the refused put; true when DynamoDB refused it, as it always should. Best effort: never throws. */
    public static boolean prime(DynamoDbClient dynamo, TableNames tables) {
        String unit = "splitline-priming#" + UUID.randomUUID();
        try {
            dynamo.putItem(b -> b.tableName(tables.events())
                    .item(Map.of(EventTable.PK, AttributeValue.fromS(unit), EventTable.SK, AttributeValue.fromS("priming")))
                    .conditionExpression(NEVER)
                    .expressionAttributeNames(Map.of("#pk", EventTable.PK)));
            LOG.warn("the priming put was not refused; check its condition");
            return false;
        } catch (ConditionalCheckFailedException expected) {
            return true;
        } catch (RuntimeException e) {
            LOG.warn("priming the exposure put failed; the first tracked request will load its classes itself", e);
            return false;
        }
    }
}
