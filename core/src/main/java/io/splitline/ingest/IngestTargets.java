package io.splitline.ingest;

import java.util.Optional;

/** Looks up the experiment or rollout an event names; empty when no such key exists. */
@FunctionalInterface
public interface IngestTargets {
    Optional<IngestTarget> find(String key);
}
