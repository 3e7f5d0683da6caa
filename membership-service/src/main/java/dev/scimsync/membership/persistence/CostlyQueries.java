package dev.scimsync.membership.persistence;

import dev.scimsync.runtime.BoundedQueries;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The bound on the users' queries a SCIM client's filter makes costly ({@code membership.queries.*}). */
public class CostlyQueries {

    @Produces
    @Singleton
    BoundedQueries usersQueries(Pool pool, @ConfigProperty(name = "membership.queries.at-once") int atOnce,
            @ConfigProperty(name = "membership.queries.waiting") int waiting,
            @ConfigProperty(name = "membership.queries.per-connection") int perConnection,
            @ConfigProperty(name = "membership.queries.timeout") Duration timeout) {
        return new BoundedQueries(pool, "membership-queries", atOnce, waiting, perConnection, timeout);
    }
}
