package io.splitline.sdk;

/**
 * A definition that GrowthBook's payload format cannot express with exactly Splitline's meaning. The
 * payload then leaves the definition out and names this reason, rather than serve an approximation.
 */
final class NotExpressible extends RuntimeException {
    NotExpressible(String reason) {
        super(reason, null, false, false);
    }
}
