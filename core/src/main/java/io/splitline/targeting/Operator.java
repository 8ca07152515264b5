package io.splitline.targeting;

import io.splitline.json.EnumCodec;
import java.util.Optional;

/** Comparison operators of targeting conditions, with their names in the API. */
public enum Operator {
    EQ, NEQ, IN, NOT_IN, GT, GTE, LT, LTE, SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE, REGEX, EXISTS;

    public String json() {
        return EnumCodec.name(this);
    }

    public static Optional<Operator> fromJson(String name) {
        return EnumCodec.parse(Operator.class, name);
    }

    boolean isNumeric() {
        return this == GT || this == GTE || this == LT || this == LTE;
    }

    boolean isSemver() {
        return this == SEMVER_GT || this == SEMVER_GTE || this == SEMVER_LT || this == SEMVER_LTE;
    }

    boolean isSet() {
        return this == IN || this == NOT_IN;
    }

    /** Whether an ordering result {@code c} (as from compareTo) satisfies this operator. */
    boolean accepts(int c) {
        return switch (this) {
            case GT, SEMVER_GT -> c > 0;
            case GTE, SEMVER_GTE -> c >= 0;
            case LT, SEMVER_LT -> c < 0;
            case LTE, SEMVER_LTE -> c <= 0;
            default -> throw new IllegalStateException(this + " is not an ordering operator");
        };
    }
}
