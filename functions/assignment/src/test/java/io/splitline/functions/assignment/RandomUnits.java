package io.splitline.functions.assignment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random unit ids and attributes for the SDK agreement check, weighted towards the edges where two
 * evaluators could part: non-ASCII and surrogate-pair ids, values of the wrong type, versions in every
 * form (with and without minor and patch, pre-releases, build metadata, leading zeros, 18+ digits,
 * surrounding whitespace, line terminators, over 128 characters) and line terminators after a regex match.
 */
final class RandomUnits {
    private static final List<Object> COUNTRIES = List.of("DE", "FR", "US", "GB", "de", "DE ", 42.0, 42.5, true);
    private static final List<Object> PLANS = List.of("pro", "free", "Pro", "", 1.0, false);
    private static final List<Object> TIERS = List.of("gold", "silver", "Gold", false);
    private static final List<String> DOMAINS = List.of("example.com", "example.org", "example.net", "EXAMPLE.com",
            "example.com.evil", "example.org\n", "example.com\r\n", "example.com\r", "example.com\n\n", "example.com\u2028",
            "example.com\u2029", "example.com\u0085", "example.com\n ", "exämple.com", "example\u00b7com");
    private static final List<String> NAMES = List.of("Dr Alice", "Prof Bob", "Dr älice", "Mr X", "Dr \uD83D\uDE00",
            "Prof Zed\n", "Dr A_b9", "Prof ", "dr Alice", "Dr Alice\r\n", "xDr Alice");
    private static final List<String> ODD_VERSIONS = List.of("", "abc", "2.3.0.1", "02.3.0", "2..3", "v", "V2.3.0",
            "2.3.0-", "2.3.0+", "2.3.0-01", "2.3.0-rc..1", "1.2.3-rc_1", "\u0662.\u0663.\u0660", "vv2.3.0",
            "123456789012345678.0.0", "1234567890123456789.0.0", "99999999999999999.1", "2.3.0\u00a0", "\u00852.3.0",
            "1.10.0-0", "10.0.1-rc.1", "10.0.1+build", "3.0.0-0", "3.0.0+b", "2.3.0-x.01", "2.3.0-x-y.1z");
    private static final long[] NUMBERS = {0, 1, 2, 3, 4, 9, 10, 11, 99, 100, 12345, 123456};
    private static final List<String> PRE_RELEASES = List.of("rc.1", "beta", "0", "alpha.beta", "rc-1", "1.2.3", "x-y.01");
    private static final List<String> PREFIXES = List.of("", "", "", "", "v", " ", "\t", " v");
    private static final List<String> SUFFIXES = List.of("", "", "", "", " ", "\n", "\r\n", "\u0085", "\u2028", "\u2029",
            " \u0085", "\u0085 ", "\u0085\n", "\n\n", "\u00a0", "\r");

    private RandomUnits() {
    }

    /** Ids of four kinds by {@code i % 4}: ASCII, Latin-1, CJK with emoji, and random code points (BMP and supplementary). */
    static String unitId(Random random, int i) {
        return switch (i % 4) {
            case 0 -> "user-" + i;
            case 1 -> "jos\u00e9-" + Integer.toString(i, 36) + "\u00f1";
            case 2 -> "\u7528\u6237\uD83D\uDE00" + i;
            default -> randomText(random, 1 + random.nextInt(12));
        };
    }

    private static String randomText(Random random, int codePoints) {
        StringBuilder s = new StringBuilder();
        while (s.codePointCount(0, s.length()) < codePoints) {
            int cp = switch (random.nextInt(5)) {
                case 0 -> 0x20 + random.nextInt(0x5f);          // printable ASCII
                case 1 -> 0xa0 + random.nextInt(0x700);         // Latin, Greek, Cyrillic
                case 2 -> 0x4e00 + random.nextInt(0x5000);      // CJK
                case 3 -> 0x1f300 + random.nextInt(0x300);      // emoji (surrogate pairs)
                default -> 0x20000 + random.nextInt(0xa000);    // CJK extension B (surrogate pairs)
            };
            s.appendCodePoint(cp);
        }
        return s.toString();
    }

    static Map<String, Object> attributes(Random random) {
        Map<String, Object> a = new HashMap<>();
        maybe(random, a, "country", pick(random, COUNTRIES));
        maybe(random, a, "plan", pick(random, PLANS));
        maybe(random, a, "tier", pick(random, TIERS));
        maybe(random, a, "age", switch (random.nextInt(4)) {
            case 0 -> (double) random.nextInt(90);
            case 1 -> random.nextDouble() * 90;
            case 2 -> String.valueOf(20 + random.nextInt(60));
            default -> List.of(30.0, 65.0, 0.0, -0.0, 65.0000001).get(random.nextInt(5));
        });
        maybe(random, a, "score", random.nextInt(10) == 0 ? (Object) Boolean.TRUE
                : random.nextInt(10) == 0 ? (Object) List.of(0.1, 0.95, 0.0999999).get(random.nextInt(3)) : random.nextDouble());
        maybe(random, a, "premium", random.nextInt(3) == 0 ? "yes" : random.nextBoolean());
        maybe(random, a, "beta", random.nextBoolean() ? "" : random.nextBoolean());
        maybe(random, a, "appVersion", random.nextInt(20) == 0 ? 2.4 : version(random));
        maybe(random, a, "email", (random.nextInt(10) == 0 ? "X" : "") + local(random) + "@" + pick(random, DOMAINS));
        maybe(random, a, "name", pick(random, NAMES));
        return a;
    }

    private static String version(Random random) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return pick(random, ODD_VERSIONS);
        }
        if (kind == 1) {
            return " ".repeat(120 + random.nextInt(10)) + "2.4.0"; // over 128 characters in all, or just under
        }
        StringBuilder v = new StringBuilder(pick(random, PREFIXES));
        v.append(number(random));
        int parts = random.nextInt(3);
        for (int i = 0; i < parts; i++) {
            v.append('.').append(number(random));
        }
        if (random.nextInt(4) == 0) {
            v.append('-').append(pick(random, PRE_RELEASES));
        }
        if (random.nextInt(6) == 0) {
            v.append("+build.").append(random.nextInt(100));
        }
        return v.append(pick(random, SUFFIXES)).toString();
    }

    private static long number(Random random) {
        return NUMBERS[random.nextInt(NUMBERS.length)];
    }

    private static String local(Random random) {
        String alphabet = "abcz09._-+";
        StringBuilder s = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static void maybe(Random random, Map<String, Object> attributes, String name, Object value) {
        if (random.nextInt(5) != 0) {
            attributes.put(name, value);
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
