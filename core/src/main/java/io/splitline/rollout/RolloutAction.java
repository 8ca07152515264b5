package io.splitline.rollout;

import io.splitline.json.EnumCodec;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's moves on a rollout ({@code POST /rollouts/{key}/<action>}), each allowed from some
 * statuses only; any other move is a conflict.
 * <ul>
 *   <li>{@code start}: draft → in_progress at the first stage, whose bake starts now;</li>
 *   <li>{@code pause}: in_progress → paused; the percent stays, the step leaves it alone;</li>
 *   <li>{@code resume}: paused → in_progress; the stage's bake and health window restart now, so the
 *       stage must be healthy for a whole bake after the pause;</li>
 *   <li>{@code promote}: the next stage now (status unchanged, bake restarts); at the last stage it
 *       completes the rollout;</li>
 *   <li>{@code abort}: → aborted at 0 %, from any state that is not final.</li>
 * </ul>
 */
public enum RolloutAction {
    START(EnumSet.of(RolloutStatus.DRAFT)),
    PAUSE(EnumSet.of(RolloutStatus.IN_PROGRESS)),
    RESUME(EnumSet.of(RolloutStatus.PAUSED)),
    PROMOTE(EnumSet.of(RolloutStatus.IN_PROGRESS, RolloutStatus.PAUSED)),
    ABORT(EnumSet.of(RolloutStatus.DRAFT, RolloutStatus.IN_PROGRESS, RolloutStatus.PAUSED));

    private final Set<RolloutStatus> from;

    RolloutAction(Set<RolloutStatus> from) {
        this.from = from;
    }

    public boolean allowedFrom(RolloutStatus status) {
        return from.contains(status);
    }

    public Set<RolloutStatus> from() {
        return from;
    }

    /** The API name ({@code promote}). */
    public String json() {
        return EnumCodec.name(this);
    }

    public static Optional<RolloutAction> fromJson(String name) {
        return EnumCodec.parse(RolloutAction.class, name);
    }

    /**
     * The rollout after this action, recorded as a {@code manual} decision by {@code actor}.
     *
     * @throws IllegalStateException when the action is not allowed from the rollout's status (callers
     *                               check {@link #allowedFrom} first and answer a conflict)
     */
    public Rollout applyTo(Rollout r, Instant now, String actor) {
        if (!allowedFrom(r.status())) {
            throw new IllegalStateException(json() + " is not allowed from " + r.status().json());
        }
        return switch (this) {
            case START -> {
                int percent = r.spec().stage(0).percent();
                yield r.next(RolloutStatus.IN_PROGRESS, 0, percent, now, manual(r, now, actor, percent));
            }
            case PAUSE -> r.next(RolloutStatus.PAUSED, r.stageIndex(), r.percent(), r.stageStartedAt(),
                    manual(r, now, actor, r.percent()));
            case RESUME -> r.next(RolloutStatus.IN_PROGRESS, r.stageIndex(), r.percent(), now,
                    manual(r, now, actor, r.percent()));
            case PROMOTE -> {
                if (r.isLastStage()) {
                    yield r.next(RolloutStatus.COMPLETED, r.stageIndex(), 100, r.stageStartedAt(),
                            manual(r, now, actor, 100));
                }
                int index = r.stageIndex() + 1;
                int percent = r.spec().stage(index).percent();
                yield r.next(r.status(), index, percent, now, manual(r, now, actor, percent));
            }
            case ABORT -> r.next(RolloutStatus.ABORTED, r.stageIndex(), 0, r.stageStartedAt(),
                    manual(r, now, actor, 0));
        };
    }

    private RolloutDecision manual(Rollout r, Instant now, String actor, int toPercent) {
        return RolloutDecision.manual(now, actor, json(), r.percent(), toPercent);
    }
}
