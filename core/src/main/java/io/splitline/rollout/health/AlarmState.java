package io.splitline.rollout.health;

/** The state of a CloudWatch alarm, with CloudWatch's names. */
public enum AlarmState {
    OK, ALARM, INSUFFICIENT_DATA
}
