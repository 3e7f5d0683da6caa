package dev.scimsync.contracts;

import java.time.Instant;

/**
 * A stored group without its members (they are paged separately, so a 20k-member group is never one
 * document).
 */
public record GroupSnapshot(
        String id,
        String connectionId,
        String displayName,
        String externalId,
        long memberCount,
        long version,
        Instant created,
        Instant lastModified) {
}
