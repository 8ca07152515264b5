package io.splitline.schedule;

import io.splitline.store.DefinitionKind;

/**
 * What one run of the {@link Scheduler} did with one definition the {@code by-due} index listed.
 *
 * @param kind   experiment or rollout
 * @param key    the definition
 * @param result done, skipped or failed
 * @param action the lifecycle action taken ({@code start}, {@code complete}); null unless done
 * @param detail why it was skipped, or what failed; null when done
 */
public record ScheduledAction(DefinitionKind kind, String key, Result result, String action, String detail) {

    /** How one scheduled definition ended. */
    public enum Result {
        /** The action was taken and stored. */
        DONE,
        /** Nothing was due after all (a stale index entry), or another writer came first: the next run looks again. */
        SKIPPED,
        /** Something went wrong; the definition is as it was. */
        FAILED
    }
}
