package io.splitline.local;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar splitline-local.jar [serve|demo] [options]}: see {@link LocalOptions#USAGE}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("splitline.logLevel") == null && System.getenv("LOG_LEVEL") == null) {
            // The console is for the user; the handlers' and DynamoDB Local's INFO logs would drown it.
            System.setProperty("splitline.logLevel", "WARN");
        }
        PrintStream out = System.out;
        LocalOptions options;
        try {
            options = LocalOptions.parse(args);
        } catch (LocalOptions.UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println();
            System.err.println(LocalOptions.USAGE);
            System.exit(2);
            return;
        }
        switch (options.command()) {
            case "help" -> out.println(LocalOptions.USAGE);
            case "demo" -> System.exit(new Demo(out).run(options));
            default -> serve(options, out);
        }
    }

    private static void serve(LocalOptions options, PrintStream out) throws InterruptedException {
        LocalStack stack = LocalStack.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "splitline-stop"));
        out.println();
        out.println("Splitline local stack is up: " + stack.baseUri());
        out.println("  dashboard   " + stack.baseUri() + "/#key=" + stack.adminKey());
        out.println("  health      " + stack.baseUri() + "/health");
        out.println("  app key     " + stack.appKey() + "   (x-api-key for POST /assign and POST /events)");
        out.println("  admin key   " + stack.adminKey() + "   (x-api-key for every other route)");
        out.println("  dynamodb    " + stack.dynamoDbEndpoint() + "   (tables named by their template logical ids)");
        out.println("  data        " + (options.dataDir() == null ? "in memory (lost at exit; --data-dir DIR keeps it)"
                : options.dataDir().toAbsolutePath()));
        out.println("  rollout step every " + options.stepInterval() + "; health from "
                + (options.cloudWatchEndpoint() == null ? "the stack's own metrics (namespace Splitline)"
                : "CloudWatch at " + options.cloudWatchEndpoint()));
        out.println("Try:  curl -s -H 'x-api-key: " + stack.adminKey() + "' " + stack.baseUri() + "/experiments");
        out.println("Press Ctrl-C to stop.");
        stopped.await();
    }
}
