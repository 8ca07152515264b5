package io.splitline.ingest;

/** An exposure (the unit saw the experiment) or a metric value (it did something worth counting). */
public enum EventType {
    EXPOSURE, METRIC
}
