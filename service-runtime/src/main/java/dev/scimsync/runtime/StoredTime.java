package dev.scimsync.runtime;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The time a service stamps on what it stores: the clock's instant cut to whole milliseconds. The clock gives
 * micro- or nanoseconds and PostgreSQL's timestamptz keeps microseconds, so a time answered as taken would not
 * equal the same time read back later; cut here, what a command's outcome or an admin answer carries equals
 * what every later read returns, and it is the precision the SCIM meta times and the audit chain show.
 */
public final class StoredTime {

    private StoredTime() {
    }

    public static Instant now(Clock clock) {
        return of(clock.instant());
    }

    public static Instant of(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
