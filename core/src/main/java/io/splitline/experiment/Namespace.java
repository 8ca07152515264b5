package io.splitline.experiment;

/**
 * A slice of a namespace's unit space. Experiments in the same namespace with disjoint ranges never
 * share a unit: the namespace hash of a unit depends only on the namespace name and the unit id.
 *
 * @param name  namespace name
 * @param start inclusive lower bound in [0, 1)
 * @param end   exclusive upper bound in (start, 1]
 */
public record Namespace(String name, double start, double end) {
    public boolean contains(double position) {
        return position >= start && position < end;
    }
}
