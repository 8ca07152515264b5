package io.splitline.results;

import com.fasterxml.jackson.databind.util.RawValue;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults.SegmentResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code segments} array of the results body as JSON text, written once per memoised segment results and
 * spliced into every response that shows them ({@link ResultsJson#toJson(ExperimentResults, SegmentsJson)}).
 * With 46 segments that text is ~855 KiB, which took ~5 ms to build and write on every call although the segments
 * change once per roll-up (BENCHMARKS.md, "The segments' JSON written once per roll-up").
 *
 * <p>The text is reused only for the very same {@link SegmentResult} objects, in the same order, as when it was
 * written: those are what {@link ResultsMemo} hands out again while the definition and the segment aggregates are
 * unchanged, and any other input (a new roll-up, a changed definition, a recomputed memo) gives new objects. A
 * {@link SegmentResult} is immutable all the way down (records, copied lists, unmodifiable maps) and its JSON is a
 * function of it alone, so the same objects write the same text, byte for byte. Equality would not do: two equal
 * SRM maps may iterate in another order and so write other text.
 *
 * <p>Bounded like the memo: the {@link #CAPACITY} experiments written last (at ~0.9 MB of text for 46 segments,
 * tens of MB at most).
 */
public final class SegmentsJson {
    /** Experiments remembered; beyond it the least recently written or served is dropped. */
    static final int CAPACITY = ResultsMemo.CAPACITY;

    private record Entry(List<SegmentResult> segments, RawValue json) {
    }

    private final Map<String, Entry> byKey = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The {@code segments} array of experiment {@code key} as JSON text: the last written when they are the same objects. */
    RawValue of(String key, List<SegmentResult> segments) {
        Entry last;
        synchronized (byKey) {
            last = byKey.get(key);
        }
        if (last != null && sameObjects(last.segments(), segments)) {
            return last.json();
        }
        RawValue json = new RawValue(Json.write(ResultsJson.segments(segments)));
        synchronized (byKey) {
            byKey.put(key, new Entry(List.copyOf(segments), json));
        }
        return json;
    }

    /** Experiments whose text is held, for tests of the bound. */
    int size() {
        synchronized (byKey) {
            return byKey.size();
        }
    }

    /** Element by element, by identity: the memo's answer is copied into each call's results, its elements are not. */
    private static boolean sameObjects(List<SegmentResult> a, List<SegmentResult> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
