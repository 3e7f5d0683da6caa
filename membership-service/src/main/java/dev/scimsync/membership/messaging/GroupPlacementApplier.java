package dev.scimsync.membership.messaging;

import dev.scimsync.contracts.GroupPlacements;
import dev.scimsync.membership.domain.GroupPlacementBatch;
import dev.scimsync.membership.persistence.GroupPlacementStore;
import dev.scimsync.runtime.StoredTime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Applies group placements in one PostgreSQL transaction per poll: the placements, the memberships that follow
 * and their events commit together. Each record is a user's whole set, so applying one again changes nothing.
 */
@ApplicationScoped
public class GroupPlacementApplier {

    private final Pool pool;
    private final GroupPlacementStore store;

    private final Clock clock;

    public GroupPlacementApplier(Pool pool, GroupPlacementStore store, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.clock = clock;
    }

    public Uni<Void> apply(List<GroupPlacements> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        GroupPlacementBatch batch = new GroupPlacementBatch(records, now());
        return pool.withTransaction(sql -> store.read(sql, batch)
                .chain(state -> store.write(sql, batch.apply(state))));
    }

    /** Seats were added to the organization: the placements its groups were refused for want of them are made. */
    public Uni<Void> retryWaitingForSeats(String organization) {
        return pool.withTransaction(sql -> store.readWaitingForSeats(sql, organization)
                .chain(state -> store.write(sql, new GroupPlacementBatch.Result(Set.of(), List.of(),
                        GroupPlacementBatch.retry(state, now())))));
    }

    private Instant now() {
        return StoredTime.now(clock);
    }
}
