package dev.scimsync.runtime;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clock the services' appliers and stores inject, so a test can hand them a fixed one. */
@Singleton
public class SystemClock {

    @Produces
    @Singleton
    Clock utc() {
        return Clock.systemUTC();
    }
}
