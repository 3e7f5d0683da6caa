package dev.scimsync.membership.persistence;

import dev.scimsync.runtime.BoundedQueries;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The bound on the users' queries a SCIM client's filter makes costly ({@code membership.queries.*}). */
public class CostlyQueries {

    @Produces
    @Singleton
    BoundedQueries usersQueries(Pool pool) {
        return BoundedQueries.configured(pool, "membership.queries");
    }
}
