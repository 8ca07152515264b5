package io.splitline.store;

import io.splitline.json.JsonValue;
import java.time.Instant;
import java.util.Objects;

/**
 * One audit entry of a definition: who changed it, how, and what changed. Written in the same
 * transaction as the version it describes, so every version is described by exactly one entry. An
 * entry usually describes one version; a run of identical versions (a rollout's consecutive holds)
 * shares one entry that counts them: versions {@code version} to {@code lastVersion}, seen from
 * {@code at} to {@code lastSeenAt}, {@code changes} those of the latest.
 *
 * @param at          when the (first) change was made
 * @param actor       who made it (the IAM caller's ARN in AWS)
 * @param action      what was done ({@code create}, {@code update}, {@code start}, …)
 * @param version     the definition's version after the (first) change
 * @param changes     what changed, as a JSON object (its shape depends on the action; {@link HistoryEntryJson}
 *                    writes it)
 * @param count       how many consecutive versions this entry describes (1 unless collapsed)
 * @param lastSeenAt  when the latest of them was written ({@code at} when {@code count} is 1)
 * @param lastVersion the latest of them ({@code version + count - 1})
 */
public record HistoryEntry(Instant at, String actor, String action, long version, JsonValue.JsonObject changes, long count,
                           Instant lastSeenAt, long lastVersion) {
    public HistoryEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + version);
        }
        if (count < 1 || lastVersion != version + count - 1) {
            throw new IllegalArgumentException("an entry describes versions " + version + " to " + lastVersion
                    + ", so its count cannot be " + count);
        }
    }

    /** The entry of one version. */
    public HistoryEntry(Instant at, String actor, String action, long version, JsonValue.JsonObject changes) {
        this(at, actor, action, version, changes, 1, at, version);
    }

    /** This entry extended by the next version, written at {@code at} with {@code changes}. */
    public HistoryEntry extendedBy(Instant at, JsonValue.JsonObject changes) {
        return new HistoryEntry(this.at, actor, action, version, changes, count + 1, at, lastVersion + 1);
    }

    /** True when this entry describes several versions (its API form then shows the count). */
    public boolean collapsed() {
        return count > 1;
    }
}
