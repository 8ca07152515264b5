package io.splitline.store;

/**
 * The kinds of definition kept in {@code DefinitionsTable}. Each kind owns a partition-key prefix, so
 * an experiment and a rollout may share a key without ever sharing an item, and the {@code by-kind}
 * index lists one kind without reading the other.
 */
public enum DefinitionKind {
    EXPERIMENT("EXP#", "experiment"),
    ROLLOUT("RO#", "rollout");

    private final String prefix;
    private final String label;

    DefinitionKind(String prefix, String label) {
        this.prefix = prefix;
        this.label = label;
    }

    /** Prefix of the partition key of every item of this kind ({@code EXP#}, {@code RO#}). */
    public String prefix() {
        return prefix;
    }

    /** How messages for clients name this kind ("experiment 'x' not found"). */
    public String label() {
        return label;
    }
}
