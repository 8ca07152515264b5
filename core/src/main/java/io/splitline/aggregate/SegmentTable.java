package io.splitline.aggregate;

/**
 * Layout of the segment items in {@code AggregatesTable} ({@code docs/data-model.md}, "Segments"):
 * <ul>
 *   <li>segment aggregates, the variant aggregates' shape ({@link AggregateTable}) restricted to the units of one
 *       value of one dimension: {@code pk = "<key>#<scope>#seg#<shard>"}, {@code sk = "<dimension>=<value>#<variant>"}
 *       ({@code units}) or {@code "<dimension>=<value>#<variant>#<metric>"} (the metric's sums). One Query per
 *       shard returns every segment of the experiment;</li>
 *   <li>the segment roll-up ({@link SegmentRollup}): {@code pk = "<key>#<scope>#rollup"}, {@code sk = "segments"},
 *       {@code version}, {@code computedAt} and {@code body}, the segment items summed over the shards, one per sort
 *       key, compactly encoded (module {@code dynamodb}, {@code SegmentRollupCodec});</li>
 *   <li>slot sets: {@code pk = "<key>#<scope>#dims"}, {@code sk = "<dimension>"}, {@code values} the string set of
 *       the dimension's values that claimed a slot (first come, first slotted; never shrinks).</li>
 * </ul>
 * Dimension names never contain {@code =} or {@code #}; in a value {@code %} and {@code #} are escaped as
 * {@code %25} and {@code %23}, so the parts split unambiguously.
 */
public final class SegmentTable {
    /** The attribute of a slot-set item holding the dimension's slotted values. */
    public static final String VALUES = "values";
    /** The sort key of the segment roll-up item. */
    public static final String ROLLUP_SK = "segments";

    private SegmentTable() {
    }

    public static String pk(String key, String scope, int shard) {
        return key + "#" + scope + "#seg#" + shard;
    }

    public static String rollupPk(String key, String scope) {
        return key + "#" + scope + "#rollup";
    }

    public static String slotsPk(String key, String scope) {
        return key + "#" + scope + "#dims";
    }

    /** The segment item of {@code dimension = value} mirroring the variant aggregate item {@code variantSk}. */
    public static String sk(String dimension, String value, String variantSk) {
        return dimension + "=" + value.replace("%", "%25").replace("#", "%23") + "#" + variantSk;
    }

    /** A segment item's sort key taken apart: its dimension, value and the variant aggregate sort key it mirrors. */
    public record Parsed(String dimension, String value, String variantSk) {
    }

    /** The variant aggregate sort key an aggregate item has or mirrors: its own, or a segment item's variant part. */
    public static String variantSk(String pk, String sk) {
        return pk.contains("#seg#") ? parse(sk).variantSk() : sk;
    }

    public static Parsed parse(String sk) {
        int equals = sk.indexOf('=');
        int hash = sk.indexOf('#', equals);
        if (equals < 1 || hash < 0) {
            throw new IllegalArgumentException("not a segment item sort key: " + sk);
        }
        String value = sk.substring(equals + 1, hash).replace("%23", "#").replace("%25", "%");
        return new Parsed(sk.substring(0, equals), value, sk.substring(hash + 1));
    }
}
