package io.splitline.results;

import com.fasterxml.jackson.databind.util.RawValue;
import io.splitline.json.Json;
import io.splitline.results.ExperimentResults.SegmentResult;
import java.util.Iterator;
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
 * <p>Bounded like the memo, the {@link #CAPACITY} experiments written last, and by size: at most {@link #BUDGET_CHARS}
 * characters of text in all (the least recently used dropped first), and none kept for a text over
 * {@link #MAX_CHARS}, a body Lambda could not return anyway (its response limit is 6 MB). ~0.9 MB for the benchmark's
 * 46 segments × 4 variants × 5 metrics; the definition limits allow far larger ones.
 */
public final class SegmentsJson {
    /** Experiments remembered; beyond it the least recently written or served is dropped. */
    static final int CAPACITY = ResultsMemo.CAPACITY;
    /** The most text kept for one experiment, and in all (characters; one byte each in the JVM's compact strings). */
    static final int MAX_CHARS = 6_000_000;
    static final long BUDGET_CHARS = 48_000_000;

    private record Entry(List<SegmentResult> segments, RawValue json, int chars) {
    }

    private final long budgetChars;
    private final int maxChars;
    /** Characters of text in {@link #byKey}; guarded by it. */
    private long held;

    public SegmentsJson() {
        this(BUDGET_CHARS, MAX_CHARS);
    }

    /** A cache with other size bounds, for tests of them. */
    SegmentsJson(long budgetChars, int maxChars) {
        this.budgetChars = budgetChars;
        this.maxChars = maxChars;
    }

    private final Map<String, Entry> byKey = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            if (size() > CAPACITY) {
                held -= eldest.getValue().chars();
                return true;
            }
            return false;
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
        String text = Json.write(ResultsJson.segments(segments));
        RawValue json = new RawValue(text);
        synchronized (byKey) {
            Entry replaced = byKey.remove(key);
            held -= replaced == null ? 0 : replaced.chars();
            if (text.length() <= maxChars) {
                byKey.put(key, new Entry(List.copyOf(segments), json, text.length()));
                held += text.length();
            }
            Iterator<Entry> eldest = byKey.values().iterator(); // least recently used first
            while (held > budgetChars && eldest.hasNext()) {
                held -= eldest.next().chars();
                eldest.remove();
            }
        }
        return json;
    }

    /** Characters of text held, for tests of the bound. */
    long held() {
        synchronized (byKey) {
            return held;
        }
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
