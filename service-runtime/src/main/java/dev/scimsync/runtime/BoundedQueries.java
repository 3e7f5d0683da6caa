package dev.scimsync.runtime;

import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.util.TypeLiteral;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;

/**
 * Runs the queries whose cost a SCIM client chooses - a filter of a few hundred {@code co} comparisons over a large
 * connection runs for seconds - so that one tenant's queries cannot take a service's database from everyone's
 * commands: at most {@code atOnce} run at a time, up to {@code waiting} more wait for their turn (past that a query is
 * refused at once: {@link Busy}), and each runs in a transaction whose statements PostgreSQL cancels after
 * {@code timeout} ({@link TooSlow}). One SCIM connection holds at most {@code perConnection} of those turns, running
 * or waiting, so that one tenant's queries leave the others theirs. Found by trying (2026-12-05): 30 searches of 100
 * {@code emails[value co ...]} terms over a 20,000-user connection, sent at once with one token, held
 * membership-service's pool for 10-12 s and another tenant's creates answered 503 meanwhile; with the turns alone,
 * the same searches then took every turn and the other tenants' lists were refused; 30 such searches of groups over
 * 100,000 groups held group-sync-service's pool and another tenant's group create answered 503 after 23 s.
 */
public class BoundedQueries {

    /** As many queries run and wait as allowed, in all or for the connection: try again shortly. */
    public static final class Busy extends RuntimeException {
        Busy(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The query ran longer than its statement timeout and PostgreSQL cancelled it. */
    public static final class TooSlow extends RuntimeException {
        TooSlow(Duration timeout, Throwable cause) {
            super("the query took longer than " + timeout.toMillis() + " ms, the most a query may take", cause);
        }
    }

    /**
     * {@code answer}, or what an API answers for a bounded query that was refused: {@code refusal.apply(429, detail)}
     * for {@link Busy} (no turn: try again shortly), {@code refusal.apply(422, detail)} for {@link TooSlow} (out of
     * time: ask for less); the detail is the failure's, for the API to use or to say in its own words.
     */
    public static <T> Uni<T> answeringRefusals(Uni<T> answer, BiFunction<Integer, String, T> refusal) {
        return answer.onFailure(Busy.class).recoverWithItem(busy -> refusal.apply(429, busy.getMessage()))
                .onFailure(TooSlow.class).recoverWithItem(slow -> refusal.apply(422, slow.getMessage()));
    }

    private final Pool pool;
    private final Duration timeout;
    private final TypedGuard<Uni<Object>> bulkhead;
    private final int perConnection;
    /** The turns each connection holds now, running or waiting; a connection holding none has no entry. */
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    /**
     * The bound a service configures under {@code prefix}: {@code .at-once}, {@code .waiting},
     * {@code .per-connection} and {@code .timeout}; the bulkhead is named after the prefix in metrics and logs.
     */
    public static BoundedQueries configured(Pool pool, String prefix) {
        Config config = ConfigProvider.getConfig();
        return new BoundedQueries(pool, prefix, config.getValue(prefix + ".at-once", Integer.class),
                config.getValue(prefix + ".waiting", Integer.class),
                config.getValue(prefix + ".per-connection", Integer.class),
                config.getValue(prefix + ".timeout", Duration.class));
    }

    /** @param name what the bulkhead is called in metrics and logs */
    public BoundedQueries(Pool pool, String name, int atOnce, int waiting, int perConnection, Duration timeout) {
        this.pool = pool;
        this.timeout = timeout;
        this.perConnection = perConnection;
        this.bulkhead = TypedGuard.create(new TypeLiteral<Uni<Object>>() {
        }).withDescription(name).withBulkhead().limit(atOnce).queueSize(waiting).done().build();
    }

    /**
     * {@code query} of the SCIM connection {@code tenant} on a database connection of its own, in its turn, bounded
     * by the statement timeout.
     */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> run(String tenant, Function<SqlConnection, Uni<T>> query) {
        return Uni.createFrom().deferred(() -> {
            if (!take(tenant)) {
                return Uni.createFrom().failure(new Busy("as many costly queries as one connection may have running "
                        + "and waiting (" + perConnection + ") are", null));
            }
            Uni<Object> bounded = bulkhead.get(() -> pool.withTransaction(connection -> connection
                    // SET takes no parameters; the value is this service's own setting.
                    .query("set local statement_timeout = " + timeout.toMillis()).execute()
                    .chain(() -> (Uni<Object>) (Uni<?>) query.apply(connection))));
            return ((Uni<T>) (Uni<?>) bounded).eventually(() -> release(tenant));
        })
                .onFailure(BulkheadException.class).transform(full -> new Busy(
                        "as many costly queries as this service runs at once are running and waiting", full))
                .onFailure(DatabaseFailures::cancelled).transform(failure -> new TooSlow(timeout, failure));
    }

    private boolean take(String tenant) {
        boolean[] taken = {false};
        held.compute(tenant, (id, turns) -> {
            int now = turns == null ? 0 : turns;
            if (now >= perConnection) {
                return turns;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private void release(String tenant) {
        held.computeIfPresent(tenant, (id, turns) -> turns <= 1 ? null : turns - 1);
    }
}
