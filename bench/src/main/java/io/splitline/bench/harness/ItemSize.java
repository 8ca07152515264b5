package io.splitline.bench.harness;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it, after its documented rules: attribute names and string values in
 * UTF-8 bytes, a number about one byte per two significant digits plus one, a map or list 3 bytes plus
 * one per element plus its elements, a binary value its bytes. Close enough to tell one started KB from the next.
 */
final class ItemSize {
    private ItemSize() {
    }

    static int bytes(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + bytes(e.getValue());
        }
        return size;
    }

    /** Started kilobytes: the write units of one plain write of the item. */
    static int kilobytes(Map<String, AttributeValue> item) {
        return Math.max(1, (bytes(item) + 1023) / 1024);
    }

    private static int bytes(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        } else if (v.n() != null) {
            return (new BigDecimal(v.n()).precision() + 1) / 2 + 1;
        } else if (v.hasM()) {
            return 3 + v.m().size() + bytes(v.m());
        } else if (v.hasL()) {
            return 3 + v.l().size() + v.l().stream().mapToInt(ItemSize::bytes).sum();
        } else if (v.b() != null) {
            return v.b().asByteArrayUnsafe().length;
        }
        return 1;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
