package io.splitline.local;

import java.io.PrintStream;
import java.net.BindException;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar splitline-local.jar [serve|demo|invoke|help] [options]}: see {@link LocalOptions#USAGE}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("splitline.logLevel") == null && System.getenv("LOG_LEVEL") == null) {
            // The console is for the user; the handlers' and DynamoDB Local's INFO logs would drown it.
            System.setProperty("splitline.logLevel", "WARN");
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a command line; {@code serve} returns only when the JVM stops.
     *
     * @return the exit status: 0 done, 1 failed, 2 a command line to fix (one line on {@code err} says how)
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        LocalOptions options;
        try {
            options = LocalOptions.parse(args);
        } catch (LocalOptions.UsageException e) {
            return fail(err, e.getMessage(), 2);
        }
        try {
            switch (options.command()) {
                case "help" -> out.println(LocalOptions.USAGE);
                case "demo" -> {
                    return new Demo(out).run(options);
                }
                case "invoke" -> {
                    return invoke(options, out, err);
                }
                default -> serve(options, out);
            }
            return 0;
        } catch (LocalOptions.UsageException e) {
            return fail(err, e.getMessage(), 2);
        } catch (RuntimeException e) {
            if (!portInUse(e)) {
                throw e;
            }
            return fail(err, "port " + options.listenPort() + " on 127.0.0.1 is already in use (another stack?):"
                    + " choose another with --port 3001, or --port 0 for any free port", 1);
        }
    }

    /** As {@code sam local invoke}: the response alone on {@code out}, the function's logs on {@code err}. */
    private static int invoke(LocalOptions options, PrintStream out, PrintStream err) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(err);
        try {
            return new Invoke(out, err).run(options);
        } finally {
            System.setOut(stdout);
        }
    }

    private static int fail(PrintStream err, String message, int status) {
        err.println("error: " + message);
        return status;
    }

    private static boolean portInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
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
        out.println("  dynamodb    " + stack.dynamoDbEndpoint() + "   (tables named by their template logical ids"
                + (options.dynamoDbHost() == null ? "; loopback only)" : "; listening on " + options.dynamoDbHost()
                + ", without authentication)"));
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
