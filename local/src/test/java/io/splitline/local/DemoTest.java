package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo end to end: a started stack driven only through HTTP — create, start, assign, events,
 * results, then a rollout that advances on healthy traffic and rolls back once errors are injected.
 */
class DemoTest {

    @Test
    void demo_detectsTheRealEffect_reportsNoneOnTheAaMetric_andRollsTheBrokenRolloutBack() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit = new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(LocalOptions.parse("demo"));
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(0, exit, out);
        assertTrue(line(out, "^   purchase\\s.*").contains("SIGNIFICANT (better)"), out);
        assertTrue(line(out, "^   newsletter\\s.*").contains("not significant"), out);
        assertTrue(out.contains("Recommendation: ship green"), out);
        assertTrue(out.contains("advance     10% ->  50%"), "the healthy rollout advanced: " + out);
        assertTrue(out.contains("final status: rolled_back at 0%"), out);
        assertTrue(out.contains("[event] Splitline Rollout Rolled Back: demo-ranker"), out);
    }

    private static String line(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no line matching " + regex + " in:\n" + text);
        return m.group();
    }
}
