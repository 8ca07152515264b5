package io.splitline.targeting;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.splitline.error.InvalidFieldException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;

/**
 * Compiles targeting regexes with RE2/J, whose matching time is linear in the input and in the
 * compiled program: no pattern can make {@code /assign} backtrack. What RE2 cannot match that way
 * (backreferences, lookaround, possessive quantifiers) does not compile and is rejected with RE2's
 * reason. The program is bounded too, because counted repetitions are compiled as copies
 * ({@code x{1000}} is a thousand instructions, each of them stepped for every input character):
 * before compiling, so that {@code ((a{999}){999}){999}} cannot exhaust memory, and exactly after.
 */
final class TargetingRegex {
    /** Most instructions one targeting rule's regexes may compile to, all together. */
    static final int MAX_PROGRAM = 1000;

    /** How far {@link #expandedSize} may exceed the budget before compiling is refused outright. */
    private static final int ESTIMATE_SLACK = 10;

    private static final java.util.regex.Pattern COUNTED = java.util.regex.Pattern.compile("\\{(\\d{1,7})(,(\\d{0,7}))?}");

    private TargetingRegex() {
    }

    /** The compiled pattern, which must fit in the {@code budget} instructions the rule has left. */
    static Pattern compile(String source, String path, int budget) {
        if (expandedSize(source) > (long) budget * ESTIMATE_SLACK) {
            throw tooLarge(path);
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(source);
        } catch (PatternSyntaxException e) {
            throw new InvalidFieldException(path, path + " is not a supported regular expression: "
                    + e.getDescription() + " '" + e.getPattern() + "' (RE2 syntax: no backreferences, lookaround "
                    + "or possessive quantifiers)");
        }
        if (pattern.programSize() > budget) {
            throw tooLarge(path);
        }
        return pattern;
    }

    private static InvalidFieldException tooLarge(String path) {
        return new InvalidFieldException(path, path + " makes the rule's regular expressions longer than " + MAX_PROGRAM
                + " steps once counted repetitions are expanded: use smaller {n,m} counts (x{1000} counts 1000)");
    }

    /**
     * The compiled size within a small factor, without compiling: every character counts one, and a
     * counted repetition multiplies the atom or group it follows by its largest count.
     */
    static long expandedSize(String source) {
        Deque<long[]> groups = new ArrayDeque<>(); // per open group: {size before it, last atom before it}
        long size = 0;
        long last = 0;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '(') {
                groups.push(new long[] {size, last});
                size = 0;
                last = 0;
                continue;
            }
            if (c == ')' && !groups.isEmpty()) {
                long[] outer = groups.pop();
                last = size + 1;
                size = outer[0] + last;
                continue;
            }
            Matcher counted = COUNTED.matcher(source).region(i, source.length());
            if (c == '{' && counted.lookingAt()) {
                long count = Long.parseLong(counted.group(3) == null || counted.group(3).isEmpty()
                        ? counted.group(1) : counted.group(3));
                long grown = Math.min(last * Math.max(count, 1), Integer.MAX_VALUE);
                size = Math.min(size + grown - last, Integer.MAX_VALUE);
                last = grown;
                i = counted.end() - 1;
                continue;
            }
            int end = atomEnd(source, i);
            last = end - i;
            size += last;
            i = end - 1;
        }
        return size;
    }

    /** End (exclusive) of the atom starting at {@code i}: an escape, a character class or one character. */
    private static int atomEnd(String s, int i) {
        char c = s.charAt(i);
        if (c == '\\') {
            return Math.min(i + 2, s.length());
        }
        if (c != '[') {
            return i + 1;
        }
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '^') {
            j++;
        }
        if (j < s.length() && s.charAt(j) == ']') {
            j++; // a leading ']' is a literal
        }
        while (j < s.length() && s.charAt(j) != ']') {
            j += s.charAt(j) == '\\' ? 2 : 1;
        }
        return Math.min(j + 1, s.length());
    }
}
