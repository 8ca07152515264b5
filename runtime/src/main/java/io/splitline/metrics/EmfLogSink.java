package io.splitline.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.splitline.json.Json;
import java.io.PrintStream;
import java.util.List;

/**
 * Writes each datum as one CloudWatch Embedded Metric Format line: the {@code _aws} metadata declares
 * the namespace, the dimension set (all the datum's dimensions) and the metric; the root holds the
 * dimension values and the metric's values array.
 */
public final class EmfLogSink implements MetricSink {
    private final PrintStream out;

    public EmfLogSink(PrintStream out) {
        this.out = out;
    }

    public static EmfLogSink stdout() {
        return new EmfLogSink(System.out);
    }

    @Override
    public void emit(MetricDatum datum) {
        String line = Json.write(toEmf(datum));
        synchronized (out) {
            out.println(line);
        }
    }

    /** The EMF document of a datum. */
    public static ObjectNode toEmf(MetricDatum datum) {
        ObjectNode root = Json.object();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", datum.timestamp().toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", datum.namespace());
        ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
        datum.dimensions().keySet().stream().sorted().forEach(dimensionSet::add);
        ObjectNode metric = directive.putArray("Metrics").addObject();
        metric.put("Name", datum.name());
        metric.put("Unit", "None");
        datum.dimensions().forEach(root::put);
        List<Double> values = datum.values();
        if (values.size() == 1) {
            root.put(datum.name(), values.get(0));
        } else {
            ArrayNode array = root.putArray(datum.name());
            values.forEach(array::add);
        }
        return root;
    }
}
