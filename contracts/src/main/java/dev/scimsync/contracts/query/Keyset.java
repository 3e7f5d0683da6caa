package dev.scimsync.contracts.query;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Where a cursor page starts (RFC 9865): right after the resource with this key in the default order, creation
 * time then id. Both stay fixed for a resource's life, so a walk by keyset sees every resource that existed when it
 * began exactly once, whatever is created or deleted meanwhile.
 *
 * @param created the creation time of the last resource of the previous page, to the database's microsecond
 * @param id      its id, which orders resources created in the same instant
 */
public record Keyset(Instant created, UUID id) {

    public Keyset {
        Objects.requireNonNull(created);
        Objects.requireNonNull(id);
    }
}
