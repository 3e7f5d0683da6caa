package dev.scimsync.runtime;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * How the services wait out what is away (the database, the broker): the attempt is made again, with a backoff
 * from {@link #FIRST_WAIT} growing to {@link #LONGEST_WAIT}, for as long as it takes. A consumer that waits
 * this way keeps its records in Kafka meanwhile: nothing is skipped, nothing is parked for an outage.
 */
public final class Retry {

    public static final Duration FIRST_WAIT = Duration.ofMillis(200);
    public static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    private Retry() {
    }

    /** {@code attempt}, made again after every failure until it succeeds. */
    public static <T> Uni<T> untilItSucceeds(Uni<T> attempt) {
        return attempt.onFailure().retry().withBackOff(FIRST_WAIT, LONGEST_WAIT).indefinitely();
    }

    /**
     * {@code attempt}, made again after every failure that {@code passing} accepts (one that can go away by
     * itself); any other failure ends it.
     */
    public static <T> Uni<T> whileFailing(Uni<T> attempt, Predicate<? super Throwable> passing) {
        return attempt.onFailure(passing).retry().withBackOff(FIRST_WAIT, LONGEST_WAIT).indefinitely();
    }
}
