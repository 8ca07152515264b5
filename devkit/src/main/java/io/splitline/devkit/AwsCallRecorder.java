package io.splitline.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;

/**
 * Records the IAM permissions each function of the template uses, while the test suite runs: every AWS
 * SDK request, translated into the IAM actions and resources AWS would check ({@link IamAccess}), and
 * attributed to a function by {@link FunctionAttribution}. No mocks: the real clients talk to DynamoDB
 * Local and moto_server, and this interceptor only watches.
 *
 * <p>The SDK registers it on every client it builds, through the classpath file
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} that devkit ships. It does nothing
 * unless the system property {@value #DIRECTORY_PROPERTY} names a directory (Maven's surefire sets it to
 * {@code target/iam-recordings/<module>} under the repository root); there it appends one line per distinct
 * call, {@code function TAB action TAB resource TAB caller}, to {@code <pid>.tsv}. The IAM coverage check
 * (module {@code iam-check}) reads the files of every module after the whole suite ran.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {
    /** System property naming the directory recordings go to; unset means record nothing. */
    public static final String DIRECTORY_PROPERTY = "splitline.iam.recordings";
    /** The account id of the model deployment the recorded ARNs and the expanded policies share. */
    public static final String MODEL_ACCOUNT = "123456789012";

    private static final ExecutionAttribute<List<AwsCall>> PENDING = new ExecutionAttribute<>("SplitlineAwsCalls");
    private static final Set<AwsCall> SEEN = ConcurrentHashMap.newKeySet();
    private static volatile FunctionAttribution attribution;

    private final Optional<Path> file;

    /** The SDK's constructor for global interceptors: records when {@value #DIRECTORY_PROPERTY} is set. */
    public AwsCallRecorder() {
        this.file = Optional.ofNullable(System.getProperty(DIRECTORY_PROPERTY)).filter(d -> !d.isBlank())
                .map(d -> Path.of(d, ProcessHandle.current().pid() + ".tsv"));
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (file.isEmpty()) {
            return;
        }
        // The stack is read here, on the calling thread; the call is written once its outcome is known.
        attribution().current().ifPresent(frame -> {
            Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
            List<AwsCall> calls = IamAccess.of(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                            attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.request(),
                            region.id(), MODEL_ACCOUNT).stream()
                    .map(grant -> new AwsCall(frame.function(), grant.action(), grant.resource(), frame.caller()))
                    .toList();
            attributes.putAttribute(PENDING, calls);
        });
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        recordPending(attributes);
    }

    /**
     * A failed call needed its permission as much as a successful one (a failed condition, a cancelled
     * transaction), except when its resource does not exist: that is a test simulating a broken
     * deployment (a table or bus that is not there), not a permission the function needs.
     */
    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        boolean missingResource = context.exception() instanceof AwsServiceException e && e.awsErrorDetails() != null
                && "ResourceNotFoundException".equals(e.awsErrorDetails().errorCode());
        if (!missingResource) {
            recordPending(attributes);
        }
    }

    private void recordPending(ExecutionAttributes attributes) {
        List<AwsCall> calls = attributes.getAttribute(PENDING);
        if (calls != null) {
            calls.forEach(this::record);
        }
    }

    private void record(AwsCall call) {
        if (!SEEN.add(call)) {
            return;
        }
        String line = String.join("\t", call.function(), call.action(), call.resource(), call.caller()) + "\n";
        synchronized (SEEN) {
            try {
                Files.createDirectories(file.get().getParent());
                Files.writeString(file.get(), line, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record an AWS call to " + file.get(), e);
            }
        }
    }

    /** Reads recordings written by any number of JVMs (every {@code *.tsv} below {@code directory}). */
    public static List<AwsCall> read(Path directory) {
        try (var files = Files.walk(directory)) {
            return files.filter(f -> f.toString().endsWith(".tsv")).sorted()
                    .flatMap(AwsCallRecorder::lines)
                    .map(line -> line.split("\t", -1))
                    .map(f -> new AwsCall(f[0], f[1], f[2], f[3]))
                    .distinct()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recordings in " + directory, e);
        }
    }

    private static java.util.stream.Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static FunctionAttribution attribution() {
        FunctionAttribution current = attribution;
        if (current == null) {
            current = FunctionAttribution.of(SamTemplate.load());
            attribution = current;
        }
        return current;
    }
}
