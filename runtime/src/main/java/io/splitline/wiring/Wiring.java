package io.splitline.wiring;

import io.splitline.metrics.EmfLogSink;
import io.splitline.metrics.MetricSink;
import io.splitline.settings.Settings;
import io.splitline.store.AwsClients;
import io.splitline.store.TableNames;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What every function is built from, made once per container: the DynamoDB client and table names,
 * the clock, where custom metrics go, and the function's settings. In Lambda it comes from the
 * environment the template sets ({@link #fromEnvironment()}); the local stack and tests make their own,
 * so the handlers run the same code with real parts.
 *
 * @param settings environment-style settings by name ({@code DEFINITION_CACHE_SECONDS} …)
 */
public record Wiring(DynamoDbClient dynamo, TableNames tables, Clock clock, MetricSink metrics,
                     Function<String, Optional<String>> settings) {

    /** The wiring of a function in AWS Lambda. */
    public static Wiring fromEnvironment() {
        return new Wiring(AwsClients.dynamoDb(), TableNames.fromEnvironment(), Clock.systemUTC(), EmfLogSink.stdout(),
                Settings::env);
    }

    /** Wiring with explicit settings (tests, local stack). */
    public static Wiring of(DynamoDbClient dynamo, TableNames tables, Clock clock, MetricSink metrics,
                            Map<String, String> settings) {
        Map<String, String> copy = Map.copyOf(settings);
        return new Wiring(dynamo, tables, clock, metrics, name -> Optional.ofNullable(copy.get(name)));
    }

    /** A duration setting given in whole seconds, or the default when unset. */
    public Duration seconds(String name, Duration fallback) {
        return settings.apply(name).map(v -> Duration.ofSeconds(parse(name, v))).orElse(fallback);
    }

    /** A duration setting given in whole minutes, or the default when unset. */
    public Duration minutes(String name, Duration fallback) {
        return settings.apply(name).map(v -> Duration.ofMinutes(parse(name, v))).orElse(fallback);
    }

    /** A duration setting given in whole days, or the default when unset. */
    public Duration days(String name, Duration fallback) {
        return settings.apply(name).map(v -> Duration.ofDays(parse(name, v))).orElse(fallback);
    }

    private static long parse(String name, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole non-negative number, got '" + value + "'");
        }
    }
}
