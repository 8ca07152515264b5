package io.splitline.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.error.InvalidFieldException;
import io.splitline.json.Fields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An experiment's segment {@code dimensions}: the attribute names whose values at a unit's first exposure put
 * the unit in one segment per dimension ({@code docs/ingest-v2.md}, "Segment values"). At most {@link #MAX},
 * distinct, each 1–64 letters, digits or {@code _ . : -} (never {@code #} or {@code =}, which separate the
 * parts of a segment aggregate's sort key).
 */
public final class DimensionsJson {
    /** Most dimensions an experiment may declare: each one adds a segment item write per event. */
    public static final int MAX = 5;
    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_.:-]{1,64}$");

    private DimensionsJson() {
    }

    /** The optional {@code dimensions} field (absent: none). */
    static List<String> parse(Fields f) {
        List<Fields.Element> elements = f.optionalArray("dimensions").orElse(List.of());
        if (elements.size() > MAX) {
            throw new InvalidFieldException(f.path("dimensions"),
                    "at most " + MAX + " dimensions (got " + elements.size() + "): each one adds a write per event");
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Fields.Element e : elements) {
            String name = e.string();
            if (!NAME.matcher(name).matches()) {
                throw new InvalidFieldException(e.path(), e.path() + " must be an attribute name of 1-64 letters, digits"
                        + " or _ . : - (got '" + name + "')");
            }
            if (!seen.add(name)) {
                throw new InvalidFieldException(e.path(), "duplicate dimension '" + name + "'");
            }
            names.add(name);
        }
        return names;
    }

    /** Writes the field, only when there are dimensions (so definitions without them keep their stored form). */
    static void write(List<String> dimensions, ObjectNode node) {
        if (!dimensions.isEmpty()) {
            ArrayNode array = node.putArray("dimensions");
            dimensions.forEach(array::add);
        }
    }
}
