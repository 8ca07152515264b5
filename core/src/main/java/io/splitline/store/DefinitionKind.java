package io.splitline.store;

/**
 * The kinds of definition kept in {@code DefinitionsTable}. Each kind owns a partition-key prefix, so
 * the {@code by-kind} index lists one kind without reading the other. Keys are unique across kinds
 * ({@link DefinitionStore#create} checks the other kinds): {@code /assign}, {@code /events} and the
 * aggregates name a definition by its key alone.
 */
public enum DefinitionKind {
    EXPERIMENT("EXP#", "experiment"),
    ROLLOUT("RO#", "rollout"),
    HOLDOUT("HO#", "holdout");

    private final String prefix;
    private final String label;

    DefinitionKind(String prefix, String label) {
        this.prefix = prefix;
        this.label = label;
    }

    /** Prefix of the partition key of every item of this kind ({@code EXP#}, {@code RO#}, {@code HO#}). */
    public String prefix() {
        return prefix;
    }

    /** How messages for clients name this kind ("experiment 'x' not found"). */
    public String label() {
        return label;
    }
}
