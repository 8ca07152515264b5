package io.splitline.local;

import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutEvents;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the local stack's rollout step announces rollbacks instead of EventBridge: a line on the
 * console, and a record the demo and tests can read.
 */
final class LocalRolloutEvents implements RolloutEvents {
    private final PrintStream out;
    private final List<Rollout> rolledBack = new ArrayList<>();

    LocalRolloutEvents(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void rolledBack(Rollout rollout) {
        rolledBack.add(rollout);
        out.println("[event] " + ROLLED_BACK + ": " + rollout.key() + " — " + rollout.lastDecision().reason());
    }

    synchronized List<Rollout> rolledBack() {
        return List.copyOf(rolledBack);
    }
}
