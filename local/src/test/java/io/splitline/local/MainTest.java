package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the command line prints when something is wrong: one line that names the problem and the fix. */
class MainTest {

    /** Exit status, standard output and standard error of one run. */
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "--bogus ; error: unknown option --bogus: --help lists the options",
            "serve|demo ; error: unexpected argument 'demo' after serve: give one command",
            "--port|http ; error: --port must be a number between 0 and 65535 (got 'http'); 0 picks a free port",
            "invoke|NoSuchFunction|-e|events/assign.json ; error: unknown function 'NoSuchFunction': use one of"})
    void aBadCommandLine_getsOneLine_andNoUsage(String args, String expected) throws Exception {
        Run run = run(args.trim().split("\\|"));

        assertEquals(2, run.status());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith(expected), run.err());
    }

    @Test
    void help_printsTheUsage() throws Exception {
        Run run = run("help");

        assertEquals(0, run.status());
        assertEquals(LocalOptions.USAGE + System.lineSeparator(), run.out());
    }

    @Test
    void aPortInUse_isOneLineSuggestingAnotherPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = run("--port", String.valueOf(taken.getLocalPort()));

            assertEquals(1, run.status());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().startsWith("error: port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"), run.err());
            assertTrue(run.err().contains("--port"), run.err());
        }
    }
}
