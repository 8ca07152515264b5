package io.splitline.sdk;

import java.util.Set;

/**
 * Rewrites a targeting regex (RE2/J, searched with {@code find}) as a JavaScript regex with
 * the same matches, for GrowthBook's {@code $regex} ({@code new RegExp(source).test(value)}).
 *
 * <p>Only a subset whose meaning is identical in both dialects is accepted: ASCII literals, escaped
 * ASCII punctuation, {@code \d} and {@code \w} (ASCII in both), classes of those and of ASCII
 * letter/digit ranges, groups ({@code (…)}, {@code (?:…)}), alternation, the greedy and lazy
 * quantifiers {@code * + ? {n} {n,} {n,m}}, and the anchors {@code ^} and {@code $}. Every atom then
 * matches exactly one ASCII character in both engines, so the set of strings with a match is the same
 * (the engines may pick a different match, but {@code find} only asks whether one exists).
 * {@code ^} and {@code $} mean the start and the end of the text in both (RE2/J without flags, and
 * JavaScript without the {@code m} flag), so they are kept as they are. Anything else ({@code .}, negated classes, {@code \s}, {@code \b}, back-references,
 * look-arounds, flags, possessive quantifiers, non-ASCII) is refused with the reason: their meanings
 * differ between the dialects (code points against UTF-16 code units, Unicode spaces, and so on).
 */
final class JsRegex {
    private static final String META = "\\^$.|?*+()[]{}";
    private static final Set<Character> SAFE_PUNCTUATION = Set.of(' ', '_', ',', ':', ';', '/', '@', '!', '#', '%',
            '\'', '"', '<', '>', '=', '~', '`', '-');
    private static final int MAX_REPEAT = 1000;

    private final String source;
    private final StringBuilder out = new StringBuilder();
    private int pos;

    private JsRegex(String source) {
        this.source = source;
    }

    /** The JavaScript form of {@code javaSource}; throws {@link NotExpressible} outside the safe subset. */
    static String translate(String javaSource) {
        JsRegex r = new JsRegex(javaSource);
        r.sequence(0);
        return r.out.toString();
    }

    /** Parses alternatives until the end or an unmatched {@code )} at {@code depth > 0}. */
    private void sequence(int depth) {
        boolean quantifiable = false;
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (c == ')') {
                if (depth == 0) {
                    throw refuse("an unbalanced ')'");
                }
                return;
            }
            pos++;
            switch (c) {
                case '|' -> {
                    out.append('|');
                    quantifiable = false;
                }
                case '^' -> {
                    out.append('^');
                    quantifiable = false;
                }
                case '$' -> {
                    out.append('$');
                    quantifiable = false;
                }
                case '(' -> {
                    group(depth);
                    quantifiable = true;
                }
                case '[' -> {
                    characterClass();
                    quantifiable = true;
                }
                case '\\' -> {
                    escape(false);
                    quantifiable = true;
                }
                case '*', '+', '?', '{' -> {
                    if (!quantifiable) {
                        throw refuse("a quantifier '" + c + "' that follows no single atom");
                    }
                    quantifier(c);
                    quantifiable = false;
                }
                default -> {
                    literal(c, false);
                    quantifiable = true;
                }
            }
        }
        if (depth > 0) {
            throw refuse("an unclosed '('");
        }
    }

    private void group(int depth) {
        if (source.startsWith("?:", pos)) {
            pos += 2;
            out.append("(?:");
        } else if (pos < source.length() && source.charAt(pos) == '?') {
            throw refuse("a group '(?" + (pos + 1 < source.length() ? source.charAt(pos + 1) : "") + "' (look-arounds, flags and named groups differ between the dialects)");
        } else {
            out.append('(');
        }
        sequence(depth + 1);
        if (pos >= source.length()) {
            throw refuse("an unclosed '('");
        }
        pos++;
        out.append(')');
    }

    private void quantifier(char c) {
        if (c == '{') {
            int close = source.indexOf('}', pos);
            String body = close < 0 ? "" : source.substring(pos, close);
            if (!body.matches("\\d{1,4}(,(\\d{1,4})?)?")) {
                throw refuse("a '{' that is not a quantifier {n}, {n,} or {n,m}");
            }
            String[] bounds = body.split(",", -1);
            int min = Integer.parseInt(bounds[0]);
            if (min > MAX_REPEAT || (bounds.length == 2 && !bounds[1].isEmpty()
                    && (Integer.parseInt(bounds[1]) < min || Integer.parseInt(bounds[1]) > MAX_REPEAT))) {
                throw refuse("a repetition {" + body + "} outside 0-" + MAX_REPEAT + " or with max < min");
            }
            out.append('{').append(body).append('}');
            pos = close + 1;
        } else {
            out.append(c);
        }
        if (pos < source.length() && source.charAt(pos) == '?') {
            out.append('?'); // lazy: the same language, and find only asks whether there is a match
            pos++;
        }
        if (pos < source.length() && "*+?{".indexOf(source.charAt(pos)) >= 0) {
            throw refuse("a quantifier after a quantifier (possessive or nested: JavaScript has neither)");
        }
    }

    private void characterClass() {
        out.append('[');
        if (pos < source.length() && source.charAt(pos) == '^') {
            throw refuse("a negated class [^…] (it matches non-ASCII text, code point by code point in Java, code unit by code unit in JavaScript)");
        }
        boolean empty = true;
        while (true) {
            if (pos >= source.length()) {
                throw refuse("an unclosed '['");
            }
            char c = source.charAt(pos++);
            if (c == ']') {
                break;
            }
            empty = false;
            if (c == '\\') {
                escape(true);
            } else if (isAsciiAlnum(c) && pos + 1 < source.length() && source.charAt(pos) == '-' && source.charAt(pos + 1) != ']') {
                char end = source.charAt(pos + 1);
                if (!isAsciiAlnum(end) || Character.isDigit(c) != Character.isDigit(end)
                        || Character.isUpperCase(c) != Character.isUpperCase(end) || end < c) {
                    throw refuse("a class range " + c + "-" + end + " (only digit-digit, a-z and A-Z ranges are accepted)");
                }
                out.append(c).append('-').append(end);
                pos += 2;
            } else if (c == '-' || c == '&' || c == '[' || c == '^') {
                throw refuse("'" + c + "' inside a class (escape it, or it means set operations in Java)");
            } else {
                literal(c, true);
            }
        }
        if (empty) {
            throw refuse("an empty class []");
        }
        out.append(']');
    }

    private void escape(boolean inClass) {
        if (pos >= source.length()) {
            throw refuse("a trailing '\\'");
        }
        char c = source.charAt(pos++);
        if (c == 'd' || c == 'w') {
            out.append('\\').append(c);
        } else if (META.indexOf(c) >= 0 || SAFE_PUNCTUATION.contains(c)) {
            out.append('\\').append(c);
        } else {
            throw refuse("the escape \\" + c + (inClass ? " inside a class" : "")
                    + " (only \\d, \\w and escaped ASCII punctuation mean the same in both dialects)");
        }
    }

    private void literal(char c, boolean inClass) {
        if (isAsciiAlnum(c) || SAFE_PUNCTUATION.contains(c) || (inClass && c == '.')) {
            out.append(c);
            return;
        }
        if (c == '.') {
            throw refuse("'.' (it matches non-ASCII text, code point by code point in Java, code unit by code unit in JavaScript; write a class instead)");
        }
        throw refuse("the character " + describe(c) + " (only ASCII letters, digits and plain punctuation are accepted)");
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String describe(char c) {
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private NotExpressible refuse(String what) {
        return new NotExpressible("regex '" + source + "' uses " + what
                + ", which is outside the subset that means the same in Java and JavaScript");
    }
}
