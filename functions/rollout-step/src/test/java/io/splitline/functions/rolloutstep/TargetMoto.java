package io.splitline.functions.rolloutstep;

import io.splitline.devkit.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The AWS side of the target tests on moto_server: real clients (counting the calls they make), a
 * function with published versions behind an alias, an endpoint with two variants, and the per-arm
 * metrics AWS would publish, seeded with {@code PutMetricData}.
 */
final class TargetMoto {
    /** Target names start with the template's default prefixes, which the step's policy is scoped to. */
    static final String PREFIX = "splitline-target-";

    final MotoServer moto;
    final CloudWatchClient cloudWatch;
    final LambdaClient lambda;
    final SageMakerClient sageMaker;
    /** Calls by operation name (e.g. {@code UpdateAlias}) made through {@link #lambda} and {@link #sageMaker}. */
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());

    TargetMoto(MotoServer moto) {
        this.moto = moto;
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
        cloudWatch = CloudWatchClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        lambda = LambdaClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
        sageMaker = SageMakerClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
    }

    long count(String operation) {
        synchronized (calls) {
            return calls.stream().filter(operation::equals).count();
        }
    }

    /** A function with versions 1 and 2 published and alias {@code live} on version 1; returns its name. */
    String functionWithAlias(String name) {
        String role;
        try (IamClient iam = IamClient.builder().endpointOverride(moto.endpoint()).region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
                .credentialsProvider(moto.credentials()).httpClient(UrlConnectionHttpClient.create()).build()) {
            role = iam.createRole(b -> b.roleName(name + "-role").assumeRolePolicyDocument("{}")).role().arn();
        }
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).role(role).handler("index.handler")
                .timeout(30).code(c -> c.zipFile(zip("def handler(event, context):\n    return 'v1'\n"))));
        lambda.publishVersion(b -> b.functionName(name));
        lambda.updateFunctionCode(b -> b.functionName(name).zipFile(zip("def handler(event, context):\n    return 'v2'\n")));
        lambda.publishVersion(b -> b.functionName(name));
        lambda.createAlias(b -> b.functionName(name).name("live").functionVersion("1"));
        return name;
    }

    /** An endpoint with variant {@code blue} (weight 1) and {@code green} (weight 0), one instance each. */
    String endpoint(String name) {
        for (String model : List.of(name + "-blue", name + "-green")) {
            sageMaker.createModel(b -> b.modelName(model).executionRoleArn("arn:aws:iam::123456789012:role/sm")
                    .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/ranker:" + model)));
        }
        sageMaker.createEndpointConfig(b -> b.endpointConfigName(name + "-config").productionVariants(
                v -> v.variantName("blue").modelName(name + "-blue").initialInstanceCount(1).instanceType("ml.m5.large").initialVariantWeight(1f),
                v -> v.variantName("green").modelName(name + "-green").initialInstanceCount(1).instanceType("ml.m5.large").initialVariantWeight(0f)));
        sageMaker.createEndpoint(b -> b.endpointName(name).endpointConfigName(name + "-config"));
        return name;
    }

    /** Per-minute Lambda metrics of one version behind the alias, as AWS publishes them. */
    void lambdaMinutes(String function, String version, Instant from, int minutes, int invocations, int errors) {
        List<Dimension> dims = List.of(dim("FunctionName", function), dim("Resource", function + ":live"),
                dim("ExecutedVersion", version));
        put("AWS/Lambda", dims, from, minutes, "Invocations", invocations, "Errors", errors, "Duration", 40.0);
    }

    /** Per-minute SageMaker metrics of one variant. */
    void sageMakerMinutes(String endpoint, String variant, Instant from, int minutes, int invocations, int errors) {
        List<Dimension> dims = List.of(dim("EndpointName", endpoint), dim("VariantName", variant));
        put("AWS/SageMaker", dims, from, minutes, "Invocations", invocations, "Invocation5XXErrors", errors, "ModelLatency", 40_000.0);
    }

    private void put(String namespace, List<Dimension> dims, Instant from, int minutes, String requests, int invocations,
                     String errorsName, int errors, String latency, double latencyValue) {
        List<MetricDatum> data = new ArrayList<>();
        for (int m = 0; m < minutes; m++) {
            Instant at = from.plus(Duration.ofMinutes(m)).plusSeconds(30);
            data.add(MetricDatum.builder().metricName(requests).dimensions(dims).timestamp(at).value((double) invocations)
                    .unit(StandardUnit.COUNT).build());
            data.add(MetricDatum.builder().metricName(errorsName).dimensions(dims).timestamp(at).value((double) errors)
                    .unit(StandardUnit.COUNT).build());
            data.add(MetricDatum.builder().metricName(latency).dimensions(dims).timestamp(at).value(latencyValue).build());
        }
        for (int i = 0; i < data.size(); i += 500) {
            List<MetricDatum> batch = data.subList(i, Math.min(data.size(), i + 500));
            cloudWatch.putMetricData(b -> b.namespace(namespace).metricData(batch));
        }
    }

    private static Dimension dim(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }

    static SdkBytes zip(String source) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("index.py"));
            zip.write(source.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SdkBytes.fromByteArray(bytes.toByteArray());
    }

    /** A unique suffix, so that tests sharing one moto server never share a resource. */
    static String unique(String what) {
        return PREFIX + what + "-" + SEQUENCE.incrementAndGet() + "-" + ProcessHandle.current().pid();
    }

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
}
