package io.splitline.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The rules of {@link ArchitectureTest} do fail: on deliberate violations in the test fixtures and, given
 * the jar of a function built from the code before issue #12 ({@code -Darch.before=…/assignment.jar}), on the
 * package cycles and the HTTP types in the domain that it had.
 */
class ArchitectureRulesCanFailTest {
    @Test
    void cycleRule_reportsAPackageCycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.splitline.architecture.fixture.cycle");

        EvaluationResult result = ArchitectureTest.NO_PACKAGE_CYCLES.evaluate(fixture);

        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("fixture.cycle.a"), result.getFailureReport().toString());
    }

    @Test
    void pureCoreRule_reportsHttpInTheDomain() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.splitline.architecture.fixture.pure");

        EvaluationResult result = ArchitectureTest.CORE_IS_PURE.evaluate(fixture);

        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("LeakyDomain"), result.getFailureReport().toString());
    }

    @Test
    void jacksonRule_reportsADomainRecordCarryingAJacksonTree_butNotItsCodec() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.splitline.architecture.fixture.jackson");

        EvaluationResult result = ArchitectureTest.JACKSON_ONLY_IN_CODECS.evaluate(fixture);

        String report = result.getFailureReport().toString();
        assertTrue(result.hasViolation());
        assertTrue(report.contains("LeakyRecord."), report);
        assertFalse(report.contains("LeakyRecordJson"), report);
    }

    @Test
    void rules_passOnClassesThatFollowThem() {
        JavaClasses cycleFree = new ClassFileImporter().importPackages("io.splitline.architecture.fixture.pure");

        assertFalse(ArchitectureTest.NO_PACKAGE_CYCLES.evaluate(cycleFree).hasViolation());
    }

    /** Prints and checks the violations of the code before the split (the shaded jar carries all of shared). */
    @Test
    @EnabledIfSystemProperty(named = "arch.before", matches = ".+")
    void rules_failOnTheCodeBeforeTheSplit() throws IOException {
        JavaClasses before;
        try (JarFile jar = new JarFile(System.getProperty("arch.before"))) {
            before = new ClassFileImporter().withImportOption(location -> location.contains("/io/splitline/"))
                    .importJar(jar);
        }

        EvaluationResult cycles = ArchitectureTest.NO_PACKAGE_CYCLES.evaluate(before);
        System.out.println(cycles.getFailureReport());

        assertTrue(cycles.hasViolation());
    }
}
