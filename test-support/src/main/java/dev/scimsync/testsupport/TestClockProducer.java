package dev.scimsync.testsupport;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The tests' clock in place of SystemClock's in every service's tests: the system's UTC clock until a test stops it
 * ({@link TestClock}). test-support is a bean archive (META-INF/beans.xml) so that Quarkus finds this producer; it is
 * only ever a test dependency.
 */
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
