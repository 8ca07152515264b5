package io.splitline.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * How enums are named in JSON, in one place: by default a constant's name in lower case
 * ({@code BENJAMINI_HOCHBERG} is {@code "benjamini_hochberg"}); an enum with names of its own (CloudWatch's
 * {@code GreaterThanThreshold}) passes them as a function. Every enum ↔ JSON string mapping goes through here.
 */
public final class EnumCodec {
    private EnumCodec() {
    }

    /** The JSON name of {@code constant}: its name in lower case. */
    public static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} whose JSON name is {@code name}; empty when none is. */
    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String name) {
        return parse(type, name, EnumCodec::name);
    }

    /** The constant of {@code type} that {@code json} names {@code name}; empty when none is. */
    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String name, Function<E, String> json) {
        for (E constant : type.getEnumConstants()) {
            if (json.apply(constant).equals(name)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** The JSON names of every constant of {@code type}, in declaration order (for error messages). */
    public static <E extends Enum<E>> List<String> names(Class<E> type, Function<E, String> json) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(json.apply(constant));
        }
        return names;
    }

    /** The JSON names of every constant of {@code type}: their names in lower case. */
    public static <E extends Enum<E>> List<String> names(Class<E> type) {
        return names(type, EnumCodec::name);
    }
}
