package io.splitline.definitions;

import io.splitline.assignment.ExperimentAssigner;
import io.splitline.experiment.Experiment;
import io.splitline.experiment.ExperimentSpec;
import io.splitline.experiment.ExperimentStatus;
import io.splitline.experiment.Metric;
import io.splitline.experiment.MetricRole;
import io.splitline.experiment.MetricType;
import io.splitline.holdout.Holdout;
import io.splitline.holdout.HoldoutGate;
import io.splitline.ingest.CovariateLookback;
import io.splitline.ingest.DerivedSums;
import io.splitline.ingest.IngestTarget;
import io.splitline.ingest.IngestTargets;
import io.splitline.ingest.MarkerPruning;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutArms;
import io.splitline.rollout.RolloutStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What ingest needs to know about an event's key, from the cached definitions: an experiment counts
 * events while it is running, an exposure's variant is derived server-side from the hash
 * ({@link ExperimentAssigner#exposedVariant}) and guardrail metrics are also emitted as EMF; a rollout
 * counts while in progress or paused, into its current stage ({@link RolloutArms#ingestTarget}). A key
 * the cache does not know, or knows as not yet running, is confirmed before its events are refused
 * ({@link DefinitionCache#confirmed}). A holdout's key counts events in its own comparison
 * ({@link HoldoutGate#ingestTarget}); a running holdout's units are outside the definitions respecting it.
 */
public final class DefinitionTargets implements IngestTargets {
    private final DefinitionCache definitions;

    public DefinitionTargets(DefinitionCache definitions) {
        this.definitions = definitions;
    }

    @Override
    public Optional<IngestTarget> find(String key) {
        DefinitionSnapshot snapshot = definitions.confirmed(List.of(key));
        Optional<ExperimentAssigner> experiment = snapshot.experiment(key);
        if (experiment.isPresent()) {
            ExperimentSpec spec = experiment.get().experiment().spec();
            return Optional.of(withoutHeldOut(target(experiment.get()), snapshot.runningHoldout(spec.holdout()),
                    spec.overrides().keySet()));
        }
        Holdout holdout = snapshot.holdouts().get(key);
        if (holdout != null) {
            return Optional.of(HoldoutGate.ingestTarget(holdout, derivedSums(holdout.spec().metrics()),
                    valueSketches(holdout.spec().metrics()), totalSketches(holdout.spec().metrics())));
        }
        return snapshot.rollout(key).map(r -> withoutHeldOut(RolloutArms.ingestTarget(r),
                snapshot.runningHoldout(r.spec().holdout()), Set.of()));
    }

    /**
     * The target with the units of a running holdout outside (their exposure events are ignored), except
     * overridden units: overrides win over the holdout, as in {@code /assign}.
     */
    private static IngestTarget withoutHeldOut(IngestTarget target, Optional<Holdout> holdout, Set<String> overridden) {
        return holdout.isEmpty() ? target : new IngestTarget(target.key(), target.scope(), target.active(),
                unit -> overridden.contains(unit) ? target.armOf().apply(unit)
                        : HoldoutGate.exposedArm(holdout, unit, target.armOf().apply(unit)), target.guardrailMetrics(),
                target.derivedSums(), target.valueSketches(), target.totalSketches(), target.dimensions(), target.aggregateShards());
    }

    /**
     * Running experiments and active rollouts of the cached definitions (at most the cache's TTL old: a
     * unit cannot have been exposed to an experiment before it started, and one started a moment ago is
     * known to the containers that assign it within that TTL).
     */
    @Override
    public List<IngestTarget> active() {
        DefinitionSnapshot snapshot = definitions.current();
        List<IngestTarget> active = new ArrayList<>();
        snapshot.experiments().values().stream().filter(a -> a.experiment().isRunning())
                .map(DefinitionTargets::target).forEach(active::add);
        snapshot.rollouts().values().stream().filter(DefinitionSnapshot::isActive)
                .map(RolloutArms::ingestTarget).forEach(active::add);
        active.sort(Comparator.comparing(IngestTarget::key));
        return active;
    }

    /**
     * {@link #active()} and, inactive, the experiments that stopped and the rollout stages that ended within
     * {@link MarkerPruning#RETIRE_AFTER} of the snapshot: an experiment once started and not running, changed since
     * (its {@code updatedAt} is at or after its stop); every earlier stage of a rollout whose current stage started
     * since, and its current stage once it stopped. A record still in the stream may have been split into them.
     */
    @Override
    public List<IngestTarget> keylessFanOut() {
        DefinitionSnapshot snapshot = definitions.current();
        Instant since = snapshot.loadedAt().minus(MarkerPruning.RETIRE_AFTER);
        List<IngestTarget> targets = new ArrayList<>();
        for (ExperimentAssigner a : snapshot.experiments().values()) {
            Experiment e = a.experiment();
            if (e.isRunning() || (e.startedAt() != null && !e.updatedAt().isBefore(since))) {
                targets.add(target(a));
            }
        }
        for (Rollout r : snapshot.rollouts().values()) {
            if (DefinitionSnapshot.isActive(r) || (r.status() != RolloutStatus.DRAFT && !r.updatedAt().isBefore(since))) {
                targets.add(RolloutArms.ingestTarget(r));
            }
            if (r.stageStartedAt() != null && !r.stageStartedAt().isBefore(since)) {
                for (int stage = 0; stage < r.stageIndex(); stage++) {
                    targets.add(new IngestTarget(r.key(), IngestTarget.stageScope(stage), false, unit -> Optional.empty(), Set.of()));
                }
            }
        }
        targets.sort(Comparator.comparing(IngestTarget::key).thenComparing(IngestTarget::scope));
        return targets;
    }

    /**
     * The lookbacks for derived CUPED covariates of the experiments that are not finished (drafts too: keyless
     * events folded while an experiment is a draft are the pre-exposure history of its first units): their
     * {@code lookbackDays} and their mean metrics (results keep covariate sums for mean metrics only).
     */
    @Override
    public Map<String, CovariateLookback> lookbacks() {
        Map<String, CovariateLookback> lookbacks = new HashMap<>();
        definitions.current().experiments().values().stream().filter(a -> a.experiment().status() != ExperimentStatus.COMPLETED && a.experiment().status() != ExperimentStatus.ARCHIVED)
                .map(a -> a.experiment().spec())
                .forEach(spec -> lookbacks.put(spec.key(), new CovariateLookback(spec.lookbackDays(), spec.metrics().stream()
                        .filter(m -> m.type() == MetricType.MEAN).map(Metric::key).collect(Collectors.toSet()))));
        return lookbacks;
    }

    private static IngestTarget target(ExperimentAssigner assigner) {
        ExperimentSpec spec = assigner.experiment().spec();
        Set<String> guardrails = spec.metrics().stream()
                .filter(m -> m.role() == MetricRole.GUARDRAIL)
                .map(Metric::key)
                .collect(Collectors.toSet());
        return new IngestTarget(spec.key(), IngestTarget.EXPERIMENT_SCOPE, assigner.experiment().isRunning(),
                assigner::exposedVariant, guardrails, derivedSums(spec.metrics()), valueSketches(spec.metrics()),
                totalSketches(spec.metrics()), spec.dimensions(), spec.aggregateShards());
    }

    /** The capped metrics (by event metric) and the ratio metrics whose extra sums ingest keeps. */
    private static DerivedSums derivedSums(List<Metric> metrics) {
        Map<String, BigDecimal> caps = new HashMap<>();
        List<DerivedSums.Ratio> ratios = new ArrayList<>();
        for (Metric m : metrics) {
            if (m.capValue() != null) {
                caps.put(m.key(), m.capValue());
            }
            if (m.type() == MetricType.RATIO) {
                ratios.add(new DerivedSums.Ratio(m.key(), m.numerator(), m.denominator()));
            }
        }
        return new DerivedSums(caps, ratios);
    }

    /** The quantile metrics: ingest counts their event values in sketch bins. */
    private static Set<String> valueSketches(List<Metric> metrics) {
        return metrics.stream().filter(m -> m.type() == MetricType.QUANTILE).map(Metric::key).collect(Collectors.toSet());
    }

    /** The metrics capped at a percentile: ingest counts their units' totals in sketch bins. */
    private static Set<String> totalSketches(List<Metric> metrics) {
        return metrics.stream().filter(m -> m.capPercentile() != null).map(Metric::key).collect(Collectors.toSet());
    }
}
