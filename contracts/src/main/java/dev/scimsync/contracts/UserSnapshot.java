package dev.scimsync.contracts;

import java.time.Instant;

/** A stored user as membership-service returns it, after a write or on a read. */
public record UserSnapshot(
        String id,
        String connectionId,
        UserProfile profile,
        long version,
        Instant created,
        Instant lastModified) {
}
