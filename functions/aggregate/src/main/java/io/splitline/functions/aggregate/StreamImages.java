package io.splitline.functions.aggregate;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A stream image as the Lambda event model holds it, turned into the SDK's attribute values that
 * {@link io.splitline.ingest.StoredEvents} reads. A raw event holds strings, numbers, booleans and maps only.
 */
final class StreamImages {
    private StreamImages() {
    }

    static Map<String, AttributeValue> toSdk(Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        Map<String, AttributeValue> sdk = new HashMap<>();
        image.forEach((name, value) -> sdk.put(name, toSdk(value)));
        return sdk;
    }

    private static AttributeValue toSdk(com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue v) {
        if (v.getS() != null) {
            return AttributeValue.fromS(v.getS());
        }
        if (v.getN() != null) {
            return AttributeValue.fromN(v.getN());
        }
        if (v.getBOOL() != null) {
            return AttributeValue.fromBool(v.getBOOL());
        }
        if (v.getM() != null) {
            return AttributeValue.fromM(toSdk(v.getM()));
        }
        throw new IllegalArgumentException("a stored event holds no attribute of this type: " + v);
    }
}
