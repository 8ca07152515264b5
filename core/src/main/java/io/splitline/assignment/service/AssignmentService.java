package io.splitline.assignment.service;

import io.splitline.assignment.AssignRequest;
import io.splitline.assignment.Assignment;
import io.splitline.assignment.AssignmentReason;
import io.splitline.assignment.ExperimentAssigner;
import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionSnapshot;
import io.splitline.holdout.HoldoutGate;
import io.splitline.ingest.ExposureRecorder;
import io.splitline.ingest.IngestTarget;
import io.splitline.ingest.UnitRef;
import io.splitline.rollout.Rollout;
import io.splitline.rollout.RolloutArms;
import io.splitline.rollout.RolloutStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /assign}: answers from the cached definitions (no DynamoDB read when warm; a named key the
 * cache does not know or knows as not yet running is confirmed first, {@link DefinitionCache#confirmed}) and, with
 * {@code track}, records first exposures. Recording is best effort for the caller: if DynamoDB cannot
 * be written the unit still gets its answer (the app must never have to handle an assignment error),
 * and the failure is logged; the next tracked call for the unit records it.
 *
 * <p>A rollout answers {@code treatment} or {@code control}: while in progress or paused, by the unit's
 * hash against the current percent ({@link RolloutArms}), with {@code inExperiment: true} and the
 * exposure recorded in the current stage; once completed everyone gets {@code treatment}, and before
 * start or after a rollback or abort everyone gets {@code control}, both with {@code not_running}.
 *
 * <p>A definition that names a running holdout leaves its held-out units out ({@link HoldoutGate}).
 */
public final class AssignmentService {
    private static final Logger LOG = LoggerFactory.getLogger(AssignmentService.class);
    private static final Assignment ROLLOUT_LAUNCHED = new Assignment(Rollout.TREATMENT, false, AssignmentReason.NOT_RUNNING, null);
    private static final Assignment ROLLOUT_OFF = new Assignment(Rollout.CONTROL, false, AssignmentReason.NOT_RUNNING, null);
    private static final Assignment ROLLOUT_TREATMENT = new Assignment(Rollout.TREATMENT, true, AssignmentReason.HASHED, null);
    private static final Assignment ROLLOUT_CONTROL = new Assignment(Rollout.CONTROL, true, AssignmentReason.HASHED, null);

    private final DefinitionCache definitions;
    private final ExposureRecorder exposures;

    public AssignmentService(DefinitionCache definitions, ExposureRecorder exposures) {
        this.definitions = definitions;
        this.exposures = exposures;
    }

    /** Answers by key: the request's keys in order, or every running experiment and active rollout by key. */
    public Map<String, Assignment> assign(AssignRequest request) {
        DefinitionSnapshot snapshot = request.allKeys() ? definitions.current() : definitions.confirmed(request.keys());
        List<String> keys = request.allKeys() ? activeKeys(snapshot) : request.keys();
        Map<String, Assignment> answers = new LinkedHashMap<>();
        List<ExposureRecorder.Exposure> first = new ArrayList<>();
        for (String key : keys) {
            Optional<ExperimentAssigner> experiment = snapshot.experiment(key);
            if (experiment.isPresent()) {
                Assignment a = HoldoutGate.apply(snapshot.runningHoldout(experiment.get().experiment().spec().holdout()),
                        request.unitId(), experiment.get().assign(request.unitId(), request.attributes()),
                        experiment.get().experiment().spec().control(), first);
                answers.put(key, a);
                if (a.recordsExposure()) {
                    first.add(new ExposureRecorder.Exposure(new UnitRef(key, IngestTarget.EXPERIMENT_SCOPE, request.unitId()), a.variant(),
                            request.covariates()));
                }
                continue;
            }
            Optional<Rollout> rollout = snapshot.rollout(key);
            if (rollout.isEmpty()) {
                answers.put(key, Assignment.unknownKey());
                continue;
            }
            Assignment a = HoldoutGate.apply(snapshot.runningHoldout(rollout.get().spec().holdout()), request.unitId(),
                    rolloutAnswer(rollout.get(), request.unitId()), Rollout.CONTROL, first);
            answers.put(key, a);
            if (a.recordsExposure()) {
                first.add(new ExposureRecorder.Exposure(new UnitRef(key, IngestTarget.stageScope(rollout.get().stageIndex()),
                        request.unitId()), a.variant()));
            }
        }
        if (request.track()) {
            record(request, first);
        }
        return answers;
    }

    private static List<String> activeKeys(DefinitionSnapshot snapshot) {
        TreeSet<String> keys = new TreeSet<>(snapshot.runningExperiments().keySet());
        snapshot.rollouts().forEach((key, rollout) -> {
            if (DefinitionSnapshot.isActive(rollout)) {
                keys.add(key);
            }
        });
        return List.copyOf(keys);
    }

    private static Assignment rolloutAnswer(Rollout rollout, String unitId) {
        if (DefinitionSnapshot.isActive(rollout)) {
            return RolloutArms.arm(rollout, unitId).equals(Rollout.TREATMENT) ? ROLLOUT_TREATMENT : ROLLOUT_CONTROL;
        }
        return rollout.status() == RolloutStatus.COMPLETED ? ROLLOUT_LAUNCHED : ROLLOUT_OFF;
    }

    private void record(AssignRequest request, List<ExposureRecorder.Exposure> first) {
        if (first.isEmpty()) {
            return;
        }
        try {
            exposures.record(first, request.attributes());
        } catch (RuntimeException e) {
            LOG.error("could not record {} exposure(s) of unit {}", first.size(), request.unitId(), e);
        }
    }
}
