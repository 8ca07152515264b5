package io.splitline.devkit;

import java.net.URL;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Says which function of the template an AWS call is made for, from the call stack: the innermost frame
 * of a function's own code, that is a main (not test) class in the package of the function's
 * {@code Handler} (or below it). Shared code called by a handler is attributed through the handler's frame
 * further out; a call made only by test code or by shared code outside any handler belongs to no function.
 *
 * <p>Why the stack and not the client: tests and the local stack share one DynamoDB client among all the
 * functions, so a client tagged with a function id would need every test rewired, while the stack already
 * names the function in every environment (handler tests, the local stack, the publisher tested on its own).
 */
final class FunctionAttribution {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** Function logical id by the package of its handler class. */
    private final Map<String, String> functionByPackage;

    FunctionAttribution(Map<String, String> functionByPackage) {
        this.functionByPackage = Map.copyOf(functionByPackage);
    }

    /** The attribution for the functions of a template ({@code AWS::Serverless::Function} with a Java handler). */
    static FunctionAttribution of(SamTemplate template) {
        Map<String, String> byPackage = new LinkedHashMap<>();
        for (String id : template.resourcesOfType("AWS::Serverless::Function")) {
            Object handler = template.properties(id).get("Handler");
            if (handler instanceof String h && h.contains(".")) {
                String className = h.contains("::") ? h.substring(0, h.indexOf("::")) : h;
                byPackage.put(className.substring(0, className.lastIndexOf('.')), id);
            }
        }
        return new FunctionAttribution(byPackage);
    }

    /**
     * The function on the current thread's stack, if a function's code is on it, with the frame that called
     * the AWS SDK (the innermost frame that is not the SDK, the JDK or this recorder, e.g.
     * {@code io.splitline.store.DefinitionStore.create}).
     */
    Optional<Frame> current() {
        return WALKER.walk(frames -> {
            String caller = null;
            for (StackWalker.StackFrame frame : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                if (caller == null && !isPlumbing(frame.getClassName())) {
                    caller = frame.getClassName() + "." + frame.getMethodName();
                }
                Optional<String> function = caller == null ? Optional.empty() : function(frame.getDeclaringClass());
                if (function.isPresent()) {
                    return Optional.of(new Frame(function.get(), caller));
                }
            }
            return Optional.empty();
        });
    }

    private static boolean isPlumbing(String className) {
        return className.startsWith("software.amazon.awssdk.") || className.startsWith("java.")
                || className.startsWith("jdk.") || className.startsWith("sun.")
                || isOrNests(className, AwsCallRecorder.class) || isOrNests(className, FunctionAttribution.class);
    }

    private static boolean isOrNests(String className, Class<?> type) {
        return className.equals(type.getName()) || className.startsWith(type.getName() + "$");
    }

    /** The function whose code this class is, if it is one's (and not a test class beside it). */
    Optional<String> function(Class<?> type) {
        String pkg = type.getPackageName();
        for (Map.Entry<String, String> e : functionByPackage.entrySet()) {
            if ((pkg.equals(e.getKey()) || pkg.startsWith(e.getKey() + ".")) && !isTestCode(type)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** Test classes share the function's package but are compiled to Maven's test-classes directory. */
    private static boolean isTestCode(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        return location != null && location.getPath().contains("/test-classes/");
    }

    /** A function and the frame that called the SDK for it. */
    record Frame(String function, String caller) {
    }
}
