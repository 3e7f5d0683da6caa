package dev.scimsync.groupsync.persistence;

import dev.scimsync.runtime.BoundedQueries;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The bound on the groups' queries a SCIM client's filter makes costly ({@code groups.queries.*}). */
public class CostlyQueries {

    @Produces
    @Singleton
    BoundedQueries groupsQueries(Pool pool) {
        return BoundedQueries.configured(pool, "groups.queries");
    }
}
