package io.splitline.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand: time passes only when the test says so. It can also run a one-shot
 * hook at its next reading, which lets a test stage a race exactly between a service's read and its write.
 */
public final class MutableClock extends Clock {
    private volatile Instant now;
    private volatile Runnable atNextReading;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public void set(Instant instant) {
        now = instant;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Runs {@code hook} once, at the next {@link #instant()} call. */
    public void atNextReading(Runnable hook) {
        atNextReading = hook;
    }

    @Override
    public Instant instant() {
        Runnable hook = atNextReading;
        if (hook != null) {
            atNextReading = null;
            hook.run();
        }
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
