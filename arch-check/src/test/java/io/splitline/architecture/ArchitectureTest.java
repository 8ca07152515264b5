package io.splitline.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.splitline.error.DomainException;
import io.splitline.http.DomainErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the compiled main classes of every library and function
 * module (read from each module's {@code target/classes}; Maven builds them first). Maven's module
 * dependencies already keep a module from compiling against one it does not declare; these rules add what
 * the poms cannot say: no cycle between packages, and which outside types each layer may touch.
 */
class ArchitectureTest {
    static final List<String> LIBRARIES = List.of("core", "api", "runtime", "dynamodb", "cloudwatch", "eventbridge", "s3", "traffic");
    static final List<String> FUNCTIONS = List.of("functions/experiments", "functions/assignment", "functions/ingest",
            "functions/results", "functions/rollout-step", "functions/aggregate");

    /** Every package is its own slice (sub-packages too): {@code rollout} and {@code rollout.health} must not depend on each other both ways. */
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.splitline.(**)").should().beFreeOfCycles();

    static final ArchRule CORE_IS_PURE = noClasses().should().dependOnClassesThat().resideInAnyPackage(
                    "software.amazon..", "com.amazonaws..", "io.splitline.http..", "io.splitline.wiring..",
                    "io.splitline.logging..")
            .because("the domain knows neither AWS nor HTTP: adapters and the API layer depend on it, not the reverse");

    /**
     * Classes of {@code core} whose job is JSON although their name does not say so, each with why: the
     * GrowthBook payload's builders (its JSON is a third party's format: {@code SdkPayload}, its experiment
     * and holdout rules, its conditions), the targeting rules' reader and writer ({@code Targeting}; the
     * rules themselves are {@code Condition}), the reader of a {@code POST /events} body ({@code EventBatch},
     * which validates it event by event), and the store port's item ({@code StoredDefinition}), whose body is
     * a store codec's output, the stored JSON document itself.
     */
    static final Set<String> JSON_BY_NATURE = Set.of("io.splitline.sdk.SdkPayload", "io.splitline.sdk.HoldoutRule",
            "io.splitline.sdk.GrowthBookCondition", "io.splitline.targeting.Targeting", "io.splitline.ingest.EventBatch",
            "io.splitline.store.StoredDefinition");

    /**
     * A class whose job is reading or writing JSON: the {@code io.splitline.json} helpers, a class named
     * {@code *Json}, {@code *Parser} or {@code *Codec} (a nested class by its outermost class's name), or one of
     * {@link #JSON_BY_NATURE}.
     */
    static final DescribedPredicate<JavaClass> JSON_CODEC = DescribedPredicate.describe(
            "a JSON codec (io.splitline.json, *Json, *Parser, *Codec, or JSON by nature)", c -> {
                String outer = c.getName().replaceFirst("\\$.*", "");
                String simple = outer.substring(outer.lastIndexOf('.') + 1);
                return c.getPackageName().startsWith("io.splitline.json") || simple.endsWith("Json")
                        || simple.endsWith("Parser") || simple.endsWith("Codec") || JSON_BY_NATURE.contains(outer);
            });

    /** Domain types and services carry plain types ({@code JsonValue} for JSON they do not read); codecs convert. */
    static final ArchRule JACKSON_ONLY_IN_CODECS = noClasses().that(DescribedPredicate.not(JSON_CODEC))
            .should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson..")
            .because("the domain does not depend on the JSON library: codecs turn JSON into domain values and back");

    static final ArchRule API_HAS_NO_AWS_SDK = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("software.amazon.awssdk..")
            .because("the API layer turns API Gateway events into domain calls; stores are reached through ports");

    static final ArchRule ADAPTERS_DO_NOT_ANSWER_HTTP = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.splitline.http..", "com.amazonaws.services.lambda.runtime.events..")
            .because("stores, health sources and notifiers throw domain exceptions; only the API layer speaks HTTP");

    static final ArchRule ONE_ERROR_MAPPING = noClasses().that().doNotBelongToAnyOf(DomainErrors.class)
            .and().resideOutsideOfPackage("io.splitline.error..")
            .should().dependOnClassesThat(assignableTo(DomainException.class).and(not(equivalentTo(DomainException.class))))
            .because("DomainErrors is the one place that maps each domain refusal to an HTTP status");

    @Test
    void packagesHaveNoCycles() {
        NO_PACKAGE_CYCLES.check(classesOf(all()));
    }

    @Test
    void coreDependsOnNeitherAwsNorHttp() {
        CORE_IS_PURE.check(classesOf(List.of("core")));
    }

    @Test
    void coreUsesJacksonOnlyInItsCodecs() {
        JACKSON_ONLY_IN_CODECS.check(classesOf(List.of("core")));
    }

    @Test
    void apiLayerDoesNotUseTheAwsSdk() {
        API_HAS_NO_AWS_SDK.check(classesOf(List.of("api")));
    }

    @Test
    void adaptersAndRuntimeDoNotSpeakHttp() {
        ADAPTERS_DO_NOT_ANSWER_HTTP.check(classesOf(List.of("runtime", "dynamodb", "cloudwatch", "eventbridge", "s3", "traffic")));
    }

    @Test
    void eachAdapterUsesOnlyItsOwnAwsService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk.services.cloudwatch..",
                "software.amazon.awssdk.services.eventbridge..", "software.amazon.awssdk.services.s3..")
                .check(classesOf(List.of("dynamodb", "runtime")));
        noClasses().should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk.services.dynamodb..",
                "software.amazon.awssdk.services.eventbridge..", "software.amazon.awssdk.services.s3..")
                .check(classesOf(List.of("cloudwatch")));
        noClasses().should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk.services.dynamodb..",
                "software.amazon.awssdk.services.cloudwatch..", "software.amazon.awssdk.services.s3..")
                .check(classesOf(List.of("eventbridge")));
        noClasses().should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk.services.dynamodb..",
                "software.amazon.awssdk.services.cloudwatch..", "software.amazon.awssdk.services.eventbridge..")
                .check(classesOf(List.of("s3")));
        noClasses().should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk.services.dynamodb..",
                "software.amazon.awssdk.services.cloudwatch..", "software.amazon.awssdk.services.eventbridge..",
                "software.amazon.awssdk.services.s3..")
                .check(classesOf(List.of("traffic")));
    }

    @Test
    void domainRefusalsAreMappedToHttpInOnePlace() {
        ONE_ERROR_MAPPING.check(classesOf(List.of("api", "runtime", "functions/experiments", "functions/assignment",
                "functions/ingest", "functions/results", "functions/rollout-step")));
    }

    private static List<String> all() {
        return java.util.stream.Stream.concat(LIBRARIES.stream(), FUNCTIONS.stream()).toList();
    }

    /** The main classes of these modules (paths relative to the repository root). */
    static JavaClasses classesOf(List<String> modules) {
        List<Path> dirs = modules.stream().map(m -> Path.of("..").resolve(m).resolve("target/classes")).toList();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(dir + " is missing: build the modules first (mvn -pl arch-check -am test)");
            }
        }
        return new ClassFileImporter().importPaths(dirs);
    }
}
