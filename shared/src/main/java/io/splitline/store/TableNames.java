package io.splitline.store;

import java.util.Map;

/**
 * Physical names of the DynamoDB tables. In AWS the template passes them to every function as
 * environment variables ({@code !Ref} of the table); locally and in tests they come from the tables
 * created out of the same template, keyed by logical id.
 *
 * @param definitions experiments and rollouts with their audit history ({@code DefinitionsTable})
 */
public record TableNames(String definitions) {

    /** Environment variable and template logical id of each table. */
    public static final Map<String, String> ENVIRONMENT_BY_LOGICAL_ID = Map.of(
            "DefinitionsTable", "DEFINITIONS_TABLE");

    public static TableNames fromEnvironment() {
        return new TableNames(requiredEnv("DEFINITIONS_TABLE"));
    }

    /** Names of tables created from the template, keyed by logical id. */
    public static TableNames fromLogicalIds(Map<String, String> physicalByLogicalId) {
        return new TableNames(required(physicalByLogicalId, "DefinitionsTable"));
    }

    private static String required(Map<String, String> names, String logicalId) {
        String name = names.get(logicalId);
        if (name == null) {
            throw new IllegalStateException("no table " + logicalId + " in " + names.keySet());
        }
        return name;
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }
}
