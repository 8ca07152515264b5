package io.splitline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LocalOptionsTest {

    @Test
    void noArguments_serveOnPort3000InMemory_withGeneratedKeys_andTenSecondSteps() {
        LocalOptions o = LocalOptions.parse();
        assertEquals("serve", o.command());
        assertEquals(3000, o.listenPort());
        assertNull(o.dataDir());
        assertNull(o.appKey());
        assertNull(o.adminKey());
        assertEquals(Duration.ofSeconds(10), o.stepInterval());
        assertNull(o.cloudWatchEndpoint());
    }

    @Test
    void demo_picksAFreePortUnlessOneIsGiven() {
        assertEquals(0, LocalOptions.parse("demo").listenPort());
        assertEquals(4000, LocalOptions.parse("demo", "--port", "4000").listenPort());
    }

    @Test
    void everyFlag_isRead() {
        LocalOptions o = LocalOptions.parse("serve", "--port", "8080", "--data-dir", "/tmp/x", "--app-key", "app-12345",
                "--admin-key", "admin-12345", "--step-interval", "PT1M", "--cloudwatch-endpoint", "http://127.0.0.1:5000");
        assertEquals(8080, o.listenPort());
        assertEquals(Path.of("/tmp/x"), o.dataDir());
        assertEquals("app-12345", o.appKey());
        assertEquals("admin-12345", o.adminKey());
        assertEquals(Duration.ofMinutes(1), o.stepInterval());
        assertEquals(URI.create("http://127.0.0.1:5000"), o.cloudWatchEndpoint());
    }

    @Test
    void optionsMayBeWrittenWithAnEqualsSign() {
        LocalOptions o = LocalOptions.parse("--port=3001", "--app-key=app-key-123", "--step-interval=PT1M");
        assertEquals(3001, o.listenPort());
        assertEquals("app-key-123", o.appKey());
        assertEquals(Duration.ofMinutes(1), o.stepInterval());
    }

    @ParameterizedTest
    @CsvSource({"-h", "--help", "help", "demo|--help", "--port|0|-h"})
    void helpIsAskedForInEveryUsualWay(String args) {
        assertEquals("help", LocalOptions.parse(args.split("\\|")).command());
    }

    @Test
    void theHelp_statesTheKeyRule() {
        assertTrue(LocalOptions.USAGE.contains("at least 8 printable ASCII characters, no spaces"), LocalOptions.USAGE);
    }

    @Test
    void invoke_readsTheFunctionTheEventAndWhereTheTablesAre() {
        LocalOptions o = LocalOptions.parse("invoke", "AssignmentFunction", "-e", "events/assign.json",
                "--dynamodb-endpoint", "http://127.0.0.1:8000");
        assertEquals("invoke", o.command());
        assertEquals("AssignmentFunction", o.function());
        assertEquals(Path.of("events/assign.json"), o.event());
        assertEquals(URI.create("http://127.0.0.1:8000"), o.dynamoDbEndpoint());
        assertEquals(Path.of("events/assign.json"), LocalOptions.parse("invoke", "AssignmentFunction", "--event=events/assign.json").event());
    }

    @Test
    void dynamoDbHost_isLoopbackUnlessGiven() {
        assertNull(LocalOptions.parse().dynamoDbHost());
        assertEquals("0.0.0.0", LocalOptions.parse("--dynamodb-host", "0.0.0.0").dynamoDbHost());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "launch ; unknown command",
            "--port|http ; --port must be a number",
            "--port|70000 ; --port must be a number",
            "--step-interval|10s ; ISO-8601",
            "--step-interval|PT0S ; must be positive",
            "--app-key|short ; at least 8",
            "--cloudwatch-endpoint|localhost ; http(s) URL",
            "--verbose|yes ; unknown option --verbose: --help lists the options",
            "--bogus ; unknown option --bogus",
            "--port ; --port needs a value, e.g. --port 3001",
            "--port|--data-dir|x ; --port needs a value",
            "serve|demo ; unexpected argument 'demo' after serve: give one command",
            "demo|extra ; unexpected argument 'extra'",
            "invoke ; invoke needs a function",
            "invoke|AssignmentFunction ; invoke needs an event: add -e",
            "invoke|AssignmentFunction|-e|x.json|--port|3001 ; --port does not apply to invoke",
            "serve|--event|x.json ; --event does not apply to serve",
            "invoke|AssignmentFunction|-e|x.json|--data-dir|d|--dynamodb-endpoint|http://127.0.0.1:8000 ; not both",
            "--app-key|same-key-1|--admin-key|same-key-1 ; must differ"})
    void badCommandLines_sayWhatToFix(String args, String message) {
        LocalOptions.UsageException e = assertThrows(LocalOptions.UsageException.class,
                () -> LocalOptions.parse(args.trim().split("\\|")));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
