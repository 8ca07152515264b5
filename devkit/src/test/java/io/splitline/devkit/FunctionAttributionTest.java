package io.splitline.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A call belongs to the function whose main code is on the stack; test code beside it is nobody's. */
class FunctionAttributionTest {
    private final FunctionAttribution attribution = new FunctionAttribution(Map.of("io.splitline.devkit", "KitFunction"));

    @Test
    void mainClassesOfTheHandlersPackage_belongToTheFunction() {
        assertEquals(Optional.of("KitFunction"), attribution.function(DynamoDbLocal.class));
    }

    @Test
    void testClassesInThatPackage_andOtherPackages_belongToNone() {
        assertEquals(Optional.empty(), attribution.function(FunctionAttributionTest.class));
        assertEquals(Optional.empty(), attribution.function(String.class));
    }

    @Test
    void aTemplatesHandler_namesItsFunctionByPackage() {
        FunctionAttribution fromTemplate = FunctionAttribution.of(SamTemplate.parse("""
                Resources:
                  KitFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: io.splitline.devkit.DynamoDbLocal::handleRequest
                  Table:
                    Type: AWS::DynamoDB::Table
                """));

        assertEquals(Optional.of("KitFunction"), fromTemplate.function(MotoServer.class));
        assertEquals(Optional.empty(), fromTemplate.function(String.class));
    }
}
