package io.splitline.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitline.devkit.AwsCall;
import io.splitline.devkit.AwsCallRecorder;
import io.splitline.devkit.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * template.yaml grants each function exactly what it uses: the AWS calls every function made while the
 * whole suite ran (recorded by devkit's {@link AwsCallRecorder} into {@code target/iam-recordings} of the
 * repository root, one directory per module) against its role, expanded by the SAM translator. This module
 * is the last of the reactor, so {@code mvn verify} from the root always checks fresh recordings.
 */
class IamCoverageTest {
    private static final Path ROOT = Path.of(System.getProperty("splitline.repoRoot", ".."));
    private static final Path TEMPLATE = ROOT.resolve("template.yaml");
    private static final Path RECORDINGS = ROOT.resolve("target/iam-recordings");
    private static Map<String, FunctionPolicies> roles;

    private static synchronized Map<String, FunctionPolicies> roles() {
        if (roles == null) {
            roles = ExpandedPolicies.of(TEMPLATE);
        }
        return roles;
    }

    private static List<AwsCall> recordings() {
        assertTrue(Files.isDirectory(RECORDINGS), "no AWS call recordings in " + RECORDINGS
                + ": run the whole suite from the repository root (mvn verify), whose modules record them");
        return AwsCallRecorder.read(RECORDINGS);
    }

    private static ModelDeployment deployment() {
        return ModelDeployment.of(SamTemplate.load(TEMPLATE));
    }

    @Test
    void payloadPublishing_grantsOneObject_andNothingWhenOff() {
        for (String function : List.of("ExperimentsFunction", "RolloutStepFunction")) {
            assertEquals(List.of("s3:PutObject arn:aws:s3:::" + ModelDeployment.PAYLOAD_BUCKET + "/sdk/payload.json"),
                    s3Grants(roles().get(function)), function);
        }
        for (FunctionPolicies role : ExpandedPolicies.of(TEMPLATE, List.of()).values()) {
            assertEquals(List.of(), s3Grants(role), role.function() + " with PayloadBucket at its default (empty)");
        }
    }

    private static List<String> s3Grants(FunctionPolicies role) {
        return role.statements().stream()
                .flatMap(s -> s.actions().stream().filter(a -> a.startsWith("s3:")).map(a -> a + " " + String.join(",", s.resources())))
                .toList();
    }

    @Test
    void everyRecordedCallIsAllowed_andEveryGrantIsUsed() {
        List<String> problems = IamCoverage.problems(roles().values(), recordings(), deployment());

        assertEquals(List.of(), problems, "template.yaml's policies and the recorded AWS calls disagree:\n"
                + String.join("\n", problems));
    }

    @Test
    void everyFunctionOfTheTemplateIsChecked() {
        assertEquals(Set.copyOf(SamTemplate.load(TEMPLATE).resourcesOfType("AWS::Serverless::Function")), roles().keySet());
    }

    static Stream<PolicyStatement> policyStatements() {
        return roles().values().stream().flatMap(r -> r.statements().stream()).filter(PolicyStatement::fromPolicies);
    }

    @ParameterizedTest(name = "without {0}")
    @MethodSource("policyStatements")
    void removingAnyStatement_makesACallFail(PolicyStatement removed) {
        List<FunctionPolicies> weakened = new ArrayList<>();
        roles().values().forEach(r -> weakened.add(r.function().equals(removed.function()) ? r.without(removed) : r));

        List<String> problems = IamCoverage.problems(weakened, recordings(), deployment());

        assertTrue(problems.stream().anyMatch(p -> p.startsWith(removed.function() + " calls ")),
                "without " + removed + " no recorded call of " + removed.function() + " is denied: " + problems);
    }

    @Test
    void policyTemplates_expandAsSamExpandsThem(@TempDir Path dir) throws IOException {
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Things:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: pk, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
                  ThingFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: java21
                      Handler: x.Handler::handleRequest
                      CodeUri: thing.jar
                      Policies:
                        - DynamoDBReadPolicy: {TableName: !Ref Things}
                """);

        List<PolicyStatement> statements = ExpandedPolicies.of(template).get("ThingFunction").statements();

        assertEquals(1, statements.size(), statements::toString);
        assertTrue(statements.get(0).allows("dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/Things/index/by-x"));
        assertTrue(statements.get(0).allows("dynamodb:BatchGetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Things"));
        assertFalse(statements.get(0).allows("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Things"));
    }

    // ---------------------------------------------------------------- the check itself, on small cases

    private static final String DEFINITIONS = "arn:aws:dynamodb:us-east-1:123456789012:table/DefinitionsTable";
    private static final ModelDeployment MODEL = new ModelDeployment(List.of("DefinitionsTable", "EventsTable"), "default");

    private static FunctionPolicies role(String... actions) {
        return new FunctionPolicies("ExperimentsFunction", "x.Handler::handleRequest",
                List.of("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                List.of(new PolicyStatement("ExperimentsFunction", "ExperimentsFunctionRolePolicy0", 0, true,
                        List.of(actions), List.of(DEFINITIONS))));
    }

    private static AwsCall call(String action, String resource) {
        return new AwsCall("ExperimentsFunction", action, resource, "io.splitline.store.DefinitionStore.create");
    }

    @Test
    void aCallThePolicyDoesNotAllow_isNamedWithItsFunctionActionResourceAndCaller() {
        List<String> problems = IamCoverage.problems(List.of(role("dynamodb:PutItem")), List.of(
                call("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/t7_DefinitionsTable"),
                call("dynamodb:ConditionCheckItem", "arn:aws:dynamodb:us-east-1:123456789012:table/t7_DefinitionsTable")),
                MODEL);

        assertEquals(List.of("ExperimentsFunction calls dynamodb:ConditionCheckItem on " + DEFINITIONS
                + " (from io.splitline.store.DefinitionStore.create) but its policies do not allow it: grant "
                + "dynamodb:ConditionCheckItem on that resource in ExperimentsFunction's Policies in template.yaml"), problems);
    }

    @Test
    void aGrantNoCallUses_isNamed() {
        List<String> problems = IamCoverage.problems(List.of(role("dynamodb:PutItem", "dynamodb:DeleteItem")),
                List.of(call("dynamodb:PutItem", DEFINITIONS)), MODEL);

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("ExperimentsFunction statement #0 (policy ExperimentsFunctionRolePolicy0) "
                + "grants dynamodb:DeleteItem on " + DEFINITIONS + " but no test made that call"), problems.get(0));
    }

    @Test
    void aFunctionWithoutRecordings_fails() {
        List<String> problems = IamCoverage.problems(List.of(role("dynamodb:PutItem")), List.of(), MODEL);

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("no AWS calls were recorded for ExperimentsFunction"), problems.get(0));
    }

    @Test
    void theStreamMapping_makesTheLambdaServiceReadTheEventsStream_andSendFailuresToItsQueue() {
        String stream = "arn:aws:dynamodb:us-east-1:123456789012:table/EventsTable/stream/2026-01-01T00:00:00.000";
        List<String> calls = roles().get("AggregateFunction").serviceCalls().stream()
                .map(c -> c.action() + " " + c.resource()).sorted().toList();

        assertEquals(List.of("dynamodb:DescribeStream " + stream, "dynamodb:GetRecords " + stream,
                "dynamodb:GetShardIterator " + stream,
                "dynamodb:ListStreams arn:aws:dynamodb:us-east-1:123456789012:table/EventsTable/stream/*",
                "sqs:SendMessage arn:aws:sqs:us-east-1:123456789012:AggregateFailureQueue"), calls);
        roles().values().stream().filter(r -> !r.function().equals("AggregateFunction"))
                .forEach(r -> assertEquals(List.of(), r.serviceCalls(), r.function()));
    }

    @Test
    void aServiceCallThePolicyDoesNotAllow_isNamed_andAGrantItUses_isNotUnused() {
        AwsCall send = new AwsCall("ExperimentsFunction", "sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:Failures",
                "Lambda's event source mapping Mapping");
        FunctionPolicies withMapping = new FunctionPolicies("ExperimentsFunction", "x.Handler::handleRequest", List.of(),
                role("dynamodb:PutItem").statements(), List.of(send));
        FunctionPolicies granted = new FunctionPolicies("ExperimentsFunction", "x.Handler::handleRequest", List.of(),
                List.of(role("dynamodb:PutItem").statements().get(0), new PolicyStatement("ExperimentsFunction",
                        "ExperimentsFunctionRolePolicy0", 1, true, List.of("sqs:SendMessage"), List.of(send.resource()))),
                List.of(send));
        List<AwsCall> recorded = List.of(call("dynamodb:PutItem", DEFINITIONS));

        List<String> denied = IamCoverage.problems(List.of(withMapping), recorded, MODEL);

        assertEquals(1, denied.size(), denied::toString);
        assertTrue(denied.get(0).startsWith("ExperimentsFunction calls sqs:SendMessage on arn:aws:sqs:us-east-1:123456789012:Failures "
                + "(from Lambda's event source mapping Mapping)"), denied.get(0));
        assertEquals(List.of(), IamCoverage.problems(List.of(granted), recorded, MODEL));
    }

    @Test
    void wildcards_matchAsInIam() {
        assertTrue(PolicyStatement.matches("arn:aws:dynamodb:*:*:table/Definitions*", DEFINITIONS + "/index/by-kind"));
        assertTrue(PolicyStatement.matches("dynamodb:?etItem", "dynamodb:GetItem"));
        assertFalse(PolicyStatement.matches(DEFINITIONS, DEFINITIONS + "/index/by-kind"));
        assertFalse(PolicyStatement.matches("dynamodb:Get.tem", "dynamodb:GetItem"));
    }

    @Test
    void testNames_mapToTheModelDeployment() {
        assertEquals(DEFINITIONS + "/index/by-kind",
                MODEL.normalize("arn:aws:dynamodb:us-east-1:123456789012:table/t12_DefinitionsTable/index/by-kind"));
        assertEquals("arn:aws:events:us-east-1:123456789012:event-bus/default",
                MODEL.normalize("arn:aws:events:us-east-1:123456789012:event-bus/splitline-test-bus"));
        assertEquals("arn:aws:s3:::model-payload-bucket/sdk/payload.json",
                MODEL.normalize("arn:aws:s3:::payload-test-bucket/sdk/payload.json"));
        assertEquals("*", MODEL.normalize("*"));
    }
}
