package io.splitline.devkit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@link MotoServer} per JVM, started on first use and stopped at JVM exit, given
 * to test and lifecycle methods as a {@code MotoServer} parameter. Where {@code moto_server} is not on
 * {@code PATH}, the test class is skipped with a message saying how to install it, except when the
 * build runs in {@link Ci}: then it fails, so that CI never passes by silently skipping.
 *
 * <pre>{@code
 * @ExtendWith(MotoServerExtension.class)
 * class HealthTest {
 *     @Test void breach_isReported(MotoServer moto) { ... }
 * }
 * }</pre>
 */
public final class MotoServerExtension implements BeforeAllCallback, ParameterResolver {
    static final String MISSING = "moto_server is not on PATH: install it with pip install \"moto[server]\" "
            + "(these tests drive the real CloudWatch client against it)";
    private static MotoServer server;

    /** The JVM-wide instance, started on first use; skips or fails the caller if moto is not installed. */
    public static synchronized MotoServer server() {
        if (server == null) {
            Path executable = requireInstalled(MotoServer.locate(System.getenv("PATH")), System.getenv());
            server = MotoServer.start(executable);
            MotoServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "moto-server-stop"));
        }
        return server;
    }

    /**
     * The executable, or the reason there is none: a failed test under CI, a skipped one elsewhere.
     *
     * @param environment the process environment (only {@code CI} is read)
     */
    static Path requireInstalled(Optional<Path> executable, Map<String, String> environment) {
        if (executable.isPresent()) {
            return executable.get();
        }
        if (Ci.isSet(environment)) {
            throw new IllegalStateException(MISSING + "; CI is set, so this fails instead of skipping");
        }
        Assumptions.abort(MISSING + "; skipped (set CI=true to make this a failure)");
        throw new AssertionError("unreachable");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MotoServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server();
    }
}
