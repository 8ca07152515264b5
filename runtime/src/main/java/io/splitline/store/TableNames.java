package io.splitline.store;

import java.util.Map;

/**
 * Physical names of the DynamoDB tables. In AWS the template passes them to every function as
 * environment variables ({@code !Ref} of the table); locally and in tests they come from the tables
 * created out of the same template, keyed by logical id.
 *
 * @param definitions experiments and rollouts with their audit history ({@code DefinitionsTable})
 * @param units       first exposure of each unit and its per-metric totals ({@code UnitsTable})
 * @param aggregates  sharded sufficient statistics per variant and metric ({@code AggregatesTable})
 * @param events      raw events, kept with a TTL; their keys make ingest idempotent ({@code EventsTable})
 */
public record TableNames(String definitions, String units, String aggregates, String events) {

    /** Environment variable of each table, by the template's logical id. */
    public static final Map<String, String> ENVIRONMENT_BY_LOGICAL_ID = Map.of(
            "DefinitionsTable", "DEFINITIONS_TABLE",
            "UnitsTable", "UNITS_TABLE",
            "AggregatesTable", "AGGREGATES_TABLE",
            "EventsTable", "EVENTS_TABLE");

    public static TableNames fromEnvironment() {
        return from(System.getenv(), ENVIRONMENT_BY_LOGICAL_ID);
    }

    /** Names of tables created from the template, keyed by logical id. */
    public static TableNames fromLogicalIds(Map<String, String> physicalByLogicalId) {
        Map<String, String> identity = Map.of("DefinitionsTable", "DefinitionsTable", "UnitsTable", "UnitsTable",
                "AggregatesTable", "AggregatesTable", "EventsTable", "EventsTable");
        return from(physicalByLogicalId, identity);
    }

    private static TableNames from(Map<String, String> source, Map<String, String> nameOf) {
        return new TableNames(
                required(source, nameOf.get("DefinitionsTable")),
                required(source, nameOf.get("UnitsTable")),
                required(source, nameOf.get("AggregatesTable")),
                required(source, nameOf.get("EventsTable")));
    }

    private static String required(Map<String, String> source, String name) {
        String value = source.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set (have " + source.keySet().stream()
                    .filter(k -> k.endsWith("_TABLE") || k.endsWith("Table")).toList() + ")");
        }
        return value;
    }
}
