package io.splitline.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of the local stack: {@code [serve|demo] [--port N] [--data-dir DIR] [--app-key K]
 * [--admin-key K] [--step-interval ISO-8601] [--cloudwatch-endpoint URL]}.
 *
 * @param command            {@code serve} (default) or {@code demo}
 * @param port               HTTP port on loopback; 0 picks a free one; null for the command's default
 *                           (3000 for serve, a free port for demo)
 * @param dataDir            where DynamoDB Local keeps its tables across restarts, or null for memory
 * @param appKey             the key {@code /assign} and {@code /events} require, or null to generate one
 * @param adminKey           the key every other route requires, or null to generate one
 * @param stepInterval       how often the rollout step runs (the EventBridge schedule in AWS)
 * @param cloudWatchEndpoint a CloudWatch endpoint (moto_server or AWS) for health checks, or null to
 *                           answer them from the metrics the stack itself emits
 */
public record LocalOptions(String command, Integer port, Path dataDir, String appKey, String adminKey,
                           Duration stepInterval, URI cloudWatchEndpoint) {

    public static final String USAGE = String.join("\n",
            "usage: java -jar local/target/splitline-local.jar [serve|demo] [options]",
            "",
            "  serve (default)            run the whole service on this machine until stopped",
            "  demo                       start the stack, simulate an experiment and a rollout, print results, exit",
            "",
            "  --port N                   HTTP port on 127.0.0.1 (default 3000 for serve, any free port for demo)",
            "  --data-dir DIR             keep DynamoDB data in DIR across restarts (default: in memory)",
            "  --app-key KEY              key for POST /assign and POST /events (default: generated, printed)",
            "  --admin-key KEY            key for every other route (default: generated, printed)",
            "  --step-interval DURATION   how often the rollout step runs, ISO-8601 (default PT10S)",
            "  --cloudwatch-endpoint URL  read rollout health from this CloudWatch endpoint (e.g. moto_server)",
            "                             instead of the stack's own in-memory metrics",
            "  --help                     print this help");

    /** Thrown for a command line that cannot be run; the message says what to fix. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    /** The port to listen on: the one given, else 3000 for serve and a free one for the demo. */
    public int listenPort() {
        return port != null ? port : command.equals("demo") ? 0 : 3000;
    }

    public static LocalOptions parse(String... args) {
        String command = "serve";
        Integer port = null;
        Path dataDir = null;
        String appKey = null;
        String adminKey = null;
        Duration stepInterval = Duration.ofSeconds(10);
        URI cloudWatch = null;
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && !rest.get(0).startsWith("--")) {
            command = rest.remove(0);
            if (!command.equals("serve") && !command.equals("demo")) {
                throw new UsageException("unknown command '" + command + "': use serve or demo");
            }
        }
        for (int i = 0; i < rest.size(); i++) {
            String flag = rest.get(i);
            if (flag.equals("--help") || flag.equals("-h")) {
                return new LocalOptions("help", port, null, null, null, stepInterval, null);
            }
            if (i + 1 >= rest.size()) {
                throw new UsageException(flag + " needs a value");
            }
            String value = rest.get(++i);
            switch (flag) {
                case "--port" -> port = port(value);
                case "--data-dir" -> dataDir = Path.of(value);
                case "--app-key" -> appKey = key(flag, value);
                case "--admin-key" -> adminKey = key(flag, value);
                case "--step-interval" -> stepInterval = interval(value);
                case "--cloudwatch-endpoint" -> cloudWatch = endpoint(value);
                default -> throw new UsageException("unknown option " + flag);
            }
        }
        if (appKey != null && appKey.equals(adminKey)) {
            throw new UsageException("--app-key and --admin-key must differ");
        }
        return new LocalOptions(command, port, dataDir, appKey, adminKey, stepInterval, cloudWatch);
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException("--port must be a number between 0 and 65535 (got '" + value + "')");
        }
    }

    private static String key(String flag, String value) {
        if (value.length() < 8 || !value.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new UsageException(flag + " must be at least 8 printable ASCII characters without spaces");
        }
        return value;
    }

    private static Duration interval(String value) {
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || d.isZero()) {
                throw new UsageException("--step-interval must be positive (got " + value + ")");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new UsageException("--step-interval must be an ISO-8601 duration such as PT10S or PT1M (got '" + value + "')");
        }
    }

    private static URI endpoint(String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--cloudwatch-endpoint must be an http(s) URL such as http://127.0.0.1:5000 (got '" + value + "')");
        }
    }
}
