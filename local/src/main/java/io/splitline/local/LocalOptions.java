package io.splitline.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command line of the local stack: {@code [serve|demo] [options]}, {@code invoke <FunctionLogicalId> -e
 * <event.json> [options]} or {@code help}. Options are written {@code --name value} or
 * {@code --name=value}; every mistake is reported in one line that names it and says what to do.
 *
 * @param command            {@code serve} (default), {@code demo}, {@code invoke} or {@code help}
 * @param port               HTTP port on loopback; 0 picks a free one; null for the command's default
 *                           (3000 for serve, a free port for demo)
 * @param dataDir            where DynamoDB Local keeps its tables across restarts, or null for memory
 * @param appKey             the key {@code /assign} and {@code /events} require, or null to generate one
 * @param adminKey           the key every other route requires, or null to generate one
 * @param stepInterval       how often the rollout step runs (the EventBridge schedule in AWS)
 * @param cloudWatchEndpoint a CloudWatch endpoint (moto_server or AWS) for health checks, or null to
 *                           answer them from the metrics the stack itself emits
 * @param dynamoDbHost       the address the embedded DynamoDB Local listens on (127.0.0.1 unless given)
 * @param function           {@code invoke}: the template logical id of the function to run
 * @param event              {@code invoke}: the event file to run it on
 * @param dynamoDbEndpoint   {@code invoke}: a running stack's DynamoDB endpoint, or null for embedded
 * @param awsEndpoint        one emulator endpoint for CloudWatch (unless {@code cloudWatchEndpoint} names its own),
 *                           Lambda and SageMaker, so rollouts with a target can run locally; or null
 */
public record LocalOptions(String command, Integer port, Path dataDir, String appKey, String adminKey,
                           Duration stepInterval, URI cloudWatchEndpoint, String dynamoDbHost,
                           String function, Path event, URI dynamoDbEndpoint, URI awsEndpoint) {

    /** The smallest key the stack accepts: a key is a secret, so a short one is refused. */
    static final int MIN_KEY_LENGTH = 8;

    public static final String USAGE = String.join("\n",
            "usage: java -jar local/target/splitline-local.jar [serve|demo] [options]",
            "       java -jar local/target/splitline-local.jar invoke <FunctionLogicalId> -e <event.json> [options]",
            "",
            "  serve (default)             run the whole service on this machine until stopped",
            "  demo                        start the stack, simulate an experiment and a rollout, print results, exit",
            "  invoke FUNCTION -e FILE     run one function's handler on one event (as `sam local invoke` does) and",
            "                              print its response; FUNCTION is a logical id of template.yaml",
            "                              (ExperimentsFunction, AssignmentFunction, IngestFunction, ResultsFunction,",
            "                              RolloutStepFunction)",
            "  help, -h, --help            print this help",
            "",
            "serve and demo:",
            "  --port N                    HTTP port on 127.0.0.1 (default 3000 for serve, any free port for demo; 0: any)",
            "  --data-dir DIR              keep DynamoDB data in DIR across restarts (default: in memory)",
            "  --app-key KEY               key for POST /assign and POST /events (default: generated, printed)",
            "  --admin-key KEY             key for every other route (default: generated, printed)",
            "                              a KEY is at least " + MIN_KEY_LENGTH + " printable ASCII characters, no spaces;"
                    + " the two must differ",
            "  --step-interval DURATION    how often the rollout step runs, ISO-8601 (default PT10S)",
            "  --cloudwatch-endpoint URL   read rollout health from this CloudWatch endpoint (e.g. moto_server)",
            "                              instead of the stack's own in-memory metrics",
            "  --aws-endpoint URL          one emulator (e.g. moto_server) for CloudWatch, Lambda and SageMaker:",
            "                              rollouts with a target shift its aliases and endpoints",
            "                              (--cloudwatch-endpoint, if given too, still names CloudWatch's)",
            "  --dynamodb-host HOST        address DynamoDB Local listens on (default 127.0.0.1); 0.0.0.0 lets",
            "                              `sam local` containers reach it, and anyone on your network too:",
            "                              DynamoDB Local checks no credentials",
            "",
            "invoke:",
            "  -e, --event FILE            the event to invoke the function with (required), e.g. events/assign.json",
            "  --data-dir DIR              run against the tables kept in DIR (a stopped stack's --data-dir)",
            "  --dynamodb-endpoint URL     run against a running stack's DynamoDB (the endpoint it prints)",
            "                              (neither: fresh in-memory tables)",
            "  --cloudwatch-endpoint URL   RolloutStepFunction: read health from this CloudWatch endpoint",
            "  --aws-endpoint URL          RolloutStepFunction: CloudWatch, Lambda and SageMaker at this emulator");

    /** Thrown for a command line that cannot be run; the message, one line, says what to fix. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    private static final Set<String> COMMANDS = Set.of("serve", "demo", "invoke");
    /** Each option with an example value (shown when the value is missing) and the commands it applies to. */
    private static final Map<String, Option> OPTIONS = Map.ofEntries(
            Map.entry("--port", new Option("3001", "serve", "demo")),
            Map.entry("--data-dir", new Option("./splitline-data", "serve", "demo", "invoke")),
            Map.entry("--app-key", new Option("app-key-123", "serve", "demo")),
            Map.entry("--admin-key", new Option("admin-key-123", "serve", "demo")),
            Map.entry("--step-interval", new Option("PT10S", "serve", "demo")),
            Map.entry("--cloudwatch-endpoint", new Option("http://127.0.0.1:5000", "serve", "demo", "invoke")),
            Map.entry("--aws-endpoint", new Option("http://127.0.0.1:5000", "serve", "demo", "invoke")),
            Map.entry("--dynamodb-host", new Option("0.0.0.0", "serve", "demo")),
            Map.entry("--event", new Option("events/assign.json", "invoke")),
            Map.entry("--dynamodb-endpoint", new Option("http://127.0.0.1:8000", "invoke")));

    private record Option(String example, String... commands) {
        boolean appliesTo(String command) {
            return List.of(commands).contains(command);
        }
    }

    /** These options with another step interval (the demo runs the step faster). */
    public LocalOptions withStepInterval(Duration interval) {
        return new LocalOptions(command, port, dataDir, appKey, adminKey, interval, cloudWatchEndpoint, dynamoDbHost,
                function, event, dynamoDbEndpoint, awsEndpoint);
    }

    /** The port to listen on: the one given, else 3000 for serve and a free one for the demo. */
    public int listenPort() {
        return port != null ? port : command.equals("demo") ? 0 : 3000;
    }

    public static LocalOptions parse(String... args) {
        List<String> positional = new ArrayList<>();
        List<String[]> given = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help") || (arg.equals("help") && positional.isEmpty())) {
                return new LocalOptions("help", null, null, null, null, Duration.ofSeconds(10), null, null, null, null, null, null);
            }
            if (!arg.startsWith("-")) {
                positional.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = arg.equals("-e") ? "--event" : eq > 0 ? arg.substring(0, eq) : arg;
            Option option = OPTIONS.get(name);
            if (option == null) {
                throw new UsageException("unknown option " + name + ": --help lists the options");
            }
            String value;
            if (eq > 0 && arg.startsWith("--")) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value, e.g. " + name + " " + option.example());
            }
            given.add(new String[] {name, value});
        }
        String command = positional.isEmpty() ? "serve" : positional.get(0);
        if (!COMMANDS.contains(command)) {
            throw new UsageException("unknown command '" + command + "': use serve, demo or invoke (--help lists them)");
        }
        String function = null;
        int expectedPositionals = 1;
        if (command.equals("invoke")) {
            if (positional.size() < 2) {
                throw new UsageException("invoke needs a function: invoke <FunctionLogicalId> -e <event.json>,"
                        + " e.g. invoke AssignmentFunction -e events/assign.json");
            }
            function = positional.get(1);
            expectedPositionals = 2;
        }
        if (positional.size() > expectedPositionals) {
            String extra = positional.get(expectedPositionals);
            throw new UsageException("unexpected argument '" + extra + "' after " + String.join(" ", positional.subList(0, expectedPositionals))
                    + (COMMANDS.contains(extra) ? ": give one command" : ": options start with --"));
        }
        return build(command, function, given);
    }

    private static LocalOptions build(String command, String function, List<String[]> given) {
        Integer port = null;
        Path dataDir = null;
        String appKey = null;
        String adminKey = null;
        Duration stepInterval = Duration.ofSeconds(10);
        URI cloudWatch = null;
        String dynamoDbHost = null;
        Path event = null;
        URI dynamoDbEndpoint = null;
        URI aws = null;
        for (String[] option : given) {
            String name = option[0];
            String value = option[1];
            if (!OPTIONS.get(name).appliesTo(command)) {
                throw new UsageException(name + " does not apply to " + command + ": --help lists each command's options");
            }
            switch (name) {
                case "--port" -> port = port(value);
                case "--data-dir" -> dataDir = Path.of(value);
                case "--app-key" -> appKey = key(name, value);
                case "--admin-key" -> adminKey = key(name, value);
                case "--step-interval" -> stepInterval = interval(value);
                case "--cloudwatch-endpoint" -> cloudWatch = endpoint(name, value);
                case "--dynamodb-host" -> dynamoDbHost = value;
                case "--event" -> event = Path.of(value);
                case "--dynamodb-endpoint" -> dynamoDbEndpoint = endpoint(name, value);
                case "--aws-endpoint" -> aws = endpoint(name, value);
                default -> throw new IllegalStateException("option " + name + " is declared but not read");
            }
        }
        if (appKey != null && appKey.equals(adminKey)) {
            throw new UsageException("--app-key and --admin-key must differ: each role needs its own key");
        }
        if (command.equals("invoke")) {
            if (event == null) {
                throw new UsageException("invoke needs an event: add -e <event.json>, e.g. -e events/assign.json");
            }
            if (dataDir != null && dynamoDbEndpoint != null) {
                throw new UsageException("give --data-dir or --dynamodb-endpoint, not both: the tables are in one place");
            }
        }
        // One emulator for every AWS client, unless CloudWatch was named on its own.
        URI cloudWatchEndpoint = cloudWatch != null ? cloudWatch : aws;
        return new LocalOptions(command, port, dataDir, appKey, adminKey, stepInterval, cloudWatchEndpoint, dynamoDbHost,
                function, event, dynamoDbEndpoint, aws);
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException("--port must be a number between 0 and 65535 (got '" + value + "'); 0 picks a free port");
        }
    }

    private static String key(String flag, String value) {
        if (value.length() < MIN_KEY_LENGTH || !value.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new UsageException(flag + " must be at least " + MIN_KEY_LENGTH
                    + " printable ASCII characters without spaces (got " + value.length() + " characters)");
        }
        return value;
    }

    private static Duration interval(String value) {
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || d.isZero()) {
                throw new UsageException("--step-interval must be positive (got " + value + "), e.g. PT10S");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new UsageException("--step-interval must be an ISO-8601 duration such as PT10S or PT1M (got '" + value + "')");
        }
    }

    private static URI endpoint(String flag, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + " must be an http(s) URL such as http://127.0.0.1:5000 (got '" + value + "')");
        }
    }
}
