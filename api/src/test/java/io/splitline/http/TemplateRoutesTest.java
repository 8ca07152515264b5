package io.splitline.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitline.devkit.SamTemplate;
import io.splitline.store.TableNames;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The SAM template and {@link ApiRoutes} describe the same API, so the local stack serves what AWS does. */
class TemplateRoutesTest {
    final SamTemplate template = SamTemplate.load();

    Set<String> templateRoutes() {
        Set<String> routes = new TreeSet<>();
        for (SamTemplate.ApiEvent e : template.apiEvents()) {
            routes.add(e.method() + " " + e.path() + " " + e.function() + " "
                    + (e.appKey() ? ApiRoutes.Access.APP : ApiRoutes.Access.ADMIN));
        }
        return routes;
    }

    @Test
    void everyRoute_isInTheTemplate_withItsFunctionAndCredential() {
        Set<String> expected = new TreeSet<>();
        for (ApiRoutes.Route r : ApiRoutes.ALL) {
            expected.add(r.method() + " " + r.resource() + " " + r.function().logicalId() + " " + r.access());
        }
        assertEquals(expected, templateRoutes());
    }

    @Test
    @SuppressWarnings("unchecked")
    void adminRoutes_defaultToIamAuthorisation() {
        Map<String, Object> auth = (Map<String, Object>) template.properties("Api").get("Auth");
        assertEquals("AWS_IAM", auth.get("DefaultAuthorizer"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTable_isPassedToTheFunctions_underItsEnvironmentVariable() {
        Map<String, Object> globals = (Map<String, Object>) ((Map<String, Object>) template.root().get("Globals")).get("Function");
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) globals.get("Environment")).get("Variables");
        Map<String, String> expected = new HashMap<>();
        TableNames.ENVIRONMENT_BY_LOGICAL_ID.forEach((logicalId, variable) -> expected.put(variable, logicalId));
        Map<String, Object> actual = new HashMap<>(variables);
        actual.keySet().retainAll(expected.keySet());
        assertEquals(expected, actual);
        assertEquals(new HashSet<>(template.resourcesOfType("AWS::DynamoDB::Table")), new HashSet<>(expected.values()));
    }
}
