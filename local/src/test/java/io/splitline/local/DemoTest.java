package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        int exit = new Demo(new PrintStream(buffer, true, StandardCharsets.UTF_8), false).run(LocalOptions.parse("demo"));
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(0, exit, out);
        assertTrue(line(out, "^   purchase\\s.*").contains("SIGNIFICANT (better)"), out);
        assertTrue(line(out, "^   newsletter\\s.*").contains("not significant"), out);
        assertTrue(out.contains("Recommendation: ship green"), out);
        assertTrue(out.contains("advance     10% ->  50%"), "the healthy rollout advanced: " + out);
        assertTrue(out.contains("final status: rolled_back at 0%"), out);
        assertTrue(out.contains("[event] Splitline Rollout Rolled Back: demo-ranker"), out);
        // readable when redirected: no carriage returns (they made one endless line), rates and lifts in one unit
        assertFalse(out.contains("\r"), "progress is drawn in place on a terminal only");
        assertTrue(line(out, "^   purchase\\s.*").contains(" pp ["), out);
        assertTrue(line(out, "^   purchase\\s.*").contains("< 0.0001"), out);
        assertTrue(line(out, "^   variant\\s.*").contains("page-errors"), "the guardrail is in the variants table: " + out);
    }

    @Test
    void longReasons_areCutAtAWord() {
        String reason = "holding at 50%: guardrail 'errors' needs 100 exposed units per arm (control 12, treatment 40)";
        String cut = Demo.abbreviate(reason, 60);
        assertTrue(cut.length() <= 60, cut);
        assertTrue(cut.endsWith(" ..."), cut);
        assertTrue(reason.startsWith(cut.substring(0, cut.length() - 4) + " "), cut);
        assertEquals(reason, Demo.abbreviate(reason, 200));
    }

    @Test
    void tinyPValues_readAsBelowTheShownPrecision() {
        assertEquals("< 0.0001", Demo.pValue(io.splitline.json.Json.parse("0.00000321")));
        assertEquals("0.0421", Demo.pValue(io.splitline.json.Json.parse("0.0421")));
    }

    private static String line(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no line matching " + regex + " in:\n" + text);
        return m.group();
    }
}
