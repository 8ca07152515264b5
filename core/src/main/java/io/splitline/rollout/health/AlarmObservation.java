package io.splitline.rollout.health;

/**
 * The state of one named alarm at the time of the step. An alarm that does not exist (a typo, or deleted
 * since the rollout was defined) is reported as {@link AlarmState#INSUFFICIENT_DATA} with
 * {@code exists == false}: it must neither let a stage advance as if it were OK nor roll back a healthy
 * rollout, and the history says why the rollout holds.
 *
 * @param name   the alarm name as defined in the rollout
 * @param state  the alarm's state; INSUFFICIENT_DATA when it does not exist
 * @param exists whether an alarm (metric or composite) with that name was found
 * @param reason CloudWatch's state reason, or a note that the alarm does not exist; may be null
 */
public record AlarmObservation(String name, AlarmState state, boolean exists, String reason) {

    public static AlarmObservation missing(String name) {
        return new AlarmObservation(name, AlarmState.INSUFFICIENT_DATA, false, "no alarm with this name exists");
    }
}
