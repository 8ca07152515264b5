package io.splitline.assignment;

/**
 * A half-open interval {@code [start, end)} of hash values that maps to one variant. An empty range
 * ({@code start == end}) contains nothing.
 *
 * @param start inclusive lower bound
 * @param end   exclusive upper bound
 */
public record BucketRange(double start, double end) {
    public boolean contains(double n) {
        return n >= start && n < end;
    }
}
