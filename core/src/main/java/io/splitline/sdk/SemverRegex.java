package io.splitline.sdk;

import io.splitline.targeting.Operator;
import io.splitline.targeting.SemanticVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A semver comparison written as one JavaScript regex that matches exactly the attribute strings for
 * which Splitline's comparison holds ({@link SemanticVersion}: at most 128 characters, surrounding
 * spaces and control characters trimmed, an optional leading {@code v}, missing minor and patch read
 * as 0, pre-releases below their release, build metadata ignored, numbers of up to 18 digits).
 *
 * <p>GrowthBook's own {@code $vgt}/{@code $vlt} operators cannot be used: they pad numbers to 5 digits,
 * append {@code ~} only to three-part versions (so {@code 2.4} and {@code 2.4.0} differ), split
 * pre-release identifiers at hyphens and read anything unparseable, a missing attribute included, as
 * version 0. Versions are ordered here digit string by digit string: canonical numbers (no leading
 * zeros) order by length, then lexically.
 *
 * <p>Only thresholds without a pre-release are accepted ({@code semver_gte 2.3.0}, not
 * {@code semver_gte 2.3.0-rc.1}): ordering pre-release identifiers by regex is left out.
 */
final class SemverRegex {
    private static final int MAX_DIGITS = 18;
    private static final String NUMBER = "(?:0|[1-9]\\d{0," + (MAX_DIGITS - 1) + "})";
    private static final String IDENTIFIER = "(?:0|[1-9]\\d*|[0-9A-Za-z-]*[A-Za-z-][0-9A-Za-z-]*)";
    private static final String PRE_RELEASE = "-" + IDENTIFIER + "(?:\\." + IDENTIFIER + ")*";
    private static final String BUILD = "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?";
    private static final String ANY_MINOR_PATCH = "(?:\\." + NUMBER + ")?(?:\\." + NUMBER + ")?";
    /**
     * String.trim() removes characters up to U+0020 at both ends. (The version pattern is applied with
     * {@code matches()}, so unlike a {@code find()}, its {@code $} does not let a final U+0085 through.)
     */
    private static final String HEAD = "^(?=[\\s\\S]{0,128}$)[\\x00-\\x20]*v?";
    private static final String TAIL = BUILD + "[\\x00-\\x20]*$";

    private SemverRegex() {
    }

    /** The regex for {@code attribute op threshold}; the operator must be a semver one. */
    static String of(Operator op, SemanticVersion threshold) {
        if (!threshold.preRelease().isEmpty()) {
            throw new NotExpressible("semver threshold with a pre-release (" + String.join(".", threshold.preRelease())
                    + "): ordering pre-release identifiers is not translated");
        }
        String a = Long.toString(threshold.major());
        String b = Long.toString(threshold.minor());
        String c = Long.toString(threshold.patch());
        String optionalPre = "(?:" + PRE_RELEASE + ")?";
        List<String> alternatives = new ArrayList<>();
        switch (op) {
            case SEMVER_GT -> greater(a, b, c).forEach(core -> alternatives.add(core + optionalPre));
            case SEMVER_GTE -> {
                greater(a, b, c).forEach(core -> alternatives.add(core + optionalPre));
                equal(a, b, c).forEach(alternatives::add);
            }
            case SEMVER_LT -> {
                less(a, b, c).forEach(core -> alternatives.add(core + optionalPre));
                equal(a, b, c).forEach(core -> alternatives.add(core + PRE_RELEASE));
            }
            case SEMVER_LTE -> {
                less(a, b, c).forEach(core -> alternatives.add(core + optionalPre));
                equal(a, b, c).forEach(core -> alternatives.add(core + optionalPre));
            }
            default -> throw new IllegalArgumentException(op + " is not a semver operator");
        }
        if (alternatives.isEmpty()) {
            return "(?!)"; // nothing is below 0.0.0
        }
        return HEAD + "(?:" + String.join("|", alternatives) + ")" + TAIL;
    }

    /** Core versions (major[.minor[.patch]]) above a.b.c. */
    private static List<String> greater(String a, String b, String c) {
        List<String> out = new ArrayList<>();
        above(a).ifPresent(n -> out.add(n + ANY_MINOR_PATCH));
        above(b).ifPresent(n -> out.add(a + "\\." + n + "(?:\\." + NUMBER + ")?"));
        above(c).ifPresent(n -> out.add(a + "\\." + b + "\\." + n));
        return out;
    }

    /** Core versions equal to a.b.c (a missing minor or patch reads as 0). */
    private static List<String> equal(String a, String b, String c) {
        List<String> out = new ArrayList<>();
        out.add(a + "\\." + b + "\\." + c);
        if (c.equals("0")) {
            out.add(a + "\\." + b);
            if (b.equals("0")) {
                out.add(a);
            }
        }
        return out;
    }

    /** Core versions below a.b.c. */
    private static List<String> less(String a, String b, String c) {
        List<String> out = new ArrayList<>();
        below(a).ifPresent(n -> out.add(n + ANY_MINOR_PATCH));
        below(b).ifPresent(n -> out.add(a + "\\." + n + "(?:\\." + NUMBER + ")?"));
        if (!b.equals("0")) {
            out.add(a); // minor 0 < b
        }
        below(c).ifPresent(n -> out.add(a + "\\." + b + "\\." + n));
        if (!c.equals("0")) {
            out.add(a + "\\." + b); // patch 0 < c
            if (b.equals("0")) {
                out.add(a);
            }
        }
        return out;
    }

    /** Canonical decimal numbers (up to 18 digits) above {@code n}, as a regex group. */
    static Optional<String> above(String n) {
        List<String> alternatives = new ArrayList<>();
        int len = n.length();
        if (len < MAX_DIGITS) {
            alternatives.add("[1-9]\\d{" + len + "," + (MAX_DIGITS - 1) + "}");
        }
        for (int i = 0; i < len; i++) {
            int d = n.charAt(i) - '0';
            if (d < 9) {
                alternatives.add(n.substring(0, i) + "[" + (d + 1) + "-9]" + "\\d{" + (len - i - 1) + "}");
            }
        }
        return group(alternatives);
    }

    /** Canonical decimal numbers below {@code n}, as a regex group; empty for 0. */
    static Optional<String> below(String n) {
        List<String> alternatives = new ArrayList<>();
        int len = n.length();
        if (len > 1) { // every shorter number
            alternatives.add("0");
            alternatives.add("[1-9]\\d{0," + (len - 2) + "}");
        }
        for (int i = 0; i < len; i++) {
            int d = n.charAt(i) - '0';
            int lowest = i == 0 && len > 1 ? 1 : 0;
            if (d > lowest) {
                alternatives.add(n.substring(0, i) + "[" + lowest + "-" + (d - 1) + "]" + "\\d{" + (len - i - 1) + "}");
            }
        }
        return group(alternatives);
    }

    private static Optional<String> group(List<String> alternatives) {
        return alternatives.isEmpty() ? Optional.empty()
                : Optional.of("(?:" + String.join("|", alternatives) + ")");
    }
}
