package dev.scimsync.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The clock the services inject ({@code java.time.Clock}), as a test can stop it: the system's UTC clock until a
 * test {@link #stopAt stops it at an instant}, and again after {@link #run}. Each service module's tests produce it
 * in place of {@code dev.scimsync.runtime.SystemClock}'s (an {@code @Alternative} producer under src/test), so a test
 * can show that a time a service stores or answers is the injected clock's.
 *
 * <p>While it is stopped, everything in the test JVM that reads the clock sees that instant (the consumers' appliers
 * too), so a test stops it at a time close to the real one ({@link #distinctTime}) and lets it run again in a
 * {@code finally}.
 */
public final class TestClock extends Clock {

    private static final TestClock SHARED = new TestClock();

    private volatile Instant stopped;

    private TestClock() {
    }

    /** The one clock of the test JVM: the one the services' beans were given. */
    public static TestClock shared() {
        return SHARED;
    }

    /**
     * A time ten minutes from the real one, on the same UTC day (before it, or after it in the day's first ten
     * minutes: what a service stores while the clock is stopped stays in the month its tables are partitioned
     * for), with a sub-millisecond part: a value taken from {@code Instant.now()} instead of the clock differs from
     * it by minutes, and one stored without the millisecond cut by its micros.
     */
    public static Instant distinctTime() {
        Instant now = Instant.now();
        Instant before = now.minus(Duration.ofMinutes(10));
        Instant at = before.truncatedTo(ChronoUnit.DAYS).equals(now.truncatedTo(ChronoUnit.DAYS)) ? before
                : now.plus(Duration.ofMinutes(10));
        return at.truncatedTo(ChronoUnit.SECONDS).plusNanos(123_456_789);
    }

    /** From now on, every reading is {@code instant}. */
    public void stopAt(Instant instant) {
        stopped = instant;
    }

    /** Runs as the system's UTC clock again. */
    public void run() {
        stopped = null;
    }

    @Override
    public Instant instant() {
        Instant at = stopped;
        return at == null ? Instant.now() : at;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** A clock in {@code zone}: the system's while this one runs, else one stopped where this one is. */
    @Override
    public Clock withZone(ZoneId zone) {
        Instant at = stopped;
        return at == null ? Clock.system(zone) : Clock.fixed(at, zone);
    }
}
