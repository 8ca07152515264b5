package io.splitline.assignment;

import io.splitline.definitions.DefinitionCache;
import io.splitline.definitions.DefinitionSnapshot;
import io.splitline.ingest.ExposureRecorder;
import io.splitline.ingest.IngestTarget;
import io.splitline.ingest.UnitRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /assign}: answers from the cached definitions (no DynamoDB read when warm) and, with
 * {@code track}, records first exposures. Recording is best effort for the caller: if DynamoDB cannot
 * be written the unit still gets its answer (the app must never have to handle an assignment error),
 * and the failure is logged; the next tracked call for the unit records it.
 */
public final class AssignmentService {
    private static final Logger LOG = LoggerFactory.getLogger(AssignmentService.class);

    private final DefinitionCache definitions;
    private final ExposureRecorder exposures;

    public AssignmentService(DefinitionCache definitions, ExposureRecorder exposures) {
        this.definitions = definitions;
        this.exposures = exposures;
    }

    /** Answers by key: the request's keys in order, or every running experiment sorted by key. */
    public Map<String, Assignment> assign(AssignRequest request) {
        DefinitionSnapshot cached = definitions.current();
        DefinitionSnapshot definitionsNow = !request.allKeys() && request.keys().stream().anyMatch(k -> !cached.isRunning(k))
                ? definitions.refreshedWithin(DefinitionCache.MISS_REFRESH)
                : cached;
        Map<String, Assignment> answers = new LinkedHashMap<>();
        if (request.allKeys()) {
            new TreeMap<>(definitionsNow.experiments()).forEach((key, assigner) -> {
                if (assigner.experiment().isRunning()) {
                    answers.put(key, assigner.assign(request.unitId(), request.attributes()));
                }
            });
        } else {
            for (String key : request.keys()) {
                answers.put(key, definitionsNow.experiment(key)
                        .map(a -> a.assign(request.unitId(), request.attributes()))
                        .orElse(Assignment.unknownKey()));
            }
        }
        if (request.track()) {
            record(request.unitId(), answers);
        }
        return answers;
    }

    private void record(String unitId, Map<String, Assignment> answers) {
        List<ExposureRecorder.Exposure> first = new ArrayList<>();
        answers.forEach((key, a) -> {
            if (a.recordsExposure()) {
                first.add(new ExposureRecorder.Exposure(new UnitRef(key, IngestTarget.EXPERIMENT_SCOPE, unitId), a.variant()));
            }
        });
        if (first.isEmpty()) {
            return;
        }
        try {
            exposures.record(first);
        } catch (RuntimeException e) {
            LOG.error("could not record {} exposure(s) of unit {}", first.size(), unitId, e);
        }
    }
}
