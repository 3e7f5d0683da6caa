package dev.scimsync.membership;

import dev.scimsync.testsupport.TestClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The tests' clock in place of SystemClock's: the system's UTC clock until a test stops it (TestClock). */
@Alternative
@Priority(1)
@Singleton
public class TestClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return TestClock.shared();
    }
}
