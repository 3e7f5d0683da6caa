package dev.scimsync.groupsync.persistence;

import dev.scimsync.runtime.BoundedQueries;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The bound on the groups' queries a SCIM client's filter makes costly ({@code groups.queries.*}). */
public class CostlyQueries {

    @Produces
    @Singleton
    BoundedQueries groupsQueries(Pool pool, @ConfigProperty(name = "groups.queries.at-once") int atOnce,
            @ConfigProperty(name = "groups.queries.waiting") int waiting,
            @ConfigProperty(name = "groups.queries.per-connection") int perConnection,
            @ConfigProperty(name = "groups.queries.timeout") Duration timeout) {
        return new BoundedQueries(pool, "groups-queries", atOnce, waiting, perConnection, timeout);
    }
}
