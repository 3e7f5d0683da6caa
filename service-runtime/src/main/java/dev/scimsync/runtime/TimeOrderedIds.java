package dev.scimsync.runtime;

import java.time.Instant;
import java.util.UUID;

/**
 * UUIDs of version 7 (RFC 9562 section 5.7): 48 bits of Unix milliseconds first, then 74 random bits. Rows keyed by
 * them go in at the right-hand end of their primary key's B-tree, where a random (version 4) key lands on any leaf
 * page of it: an insert of a batch of audit records into a 190,000-row partition dirtied a page per row and took
 * 5.5-6.8 ms per 80 rows with random ids against 2.4-2.8 ms with time-ordered ones (docs/performance.md,
 * 2026-12-01). Ids stay unguessable (74 random bits) and say only when the row was made.
 */
public final class TimeOrderedIds {

    private TimeOrderedIds() {
    }

    /** A random UUID whose first 48 bits are the time and whose version is 7, as V22's time_ordered_uuid() makes. */
    public static UUID at(Instant time) {
        UUID random = UUID.randomUUID();
        long most = (time.toEpochMilli() << 16) | 0x7000L | (random.getMostSignificantBits() & 0x0FFFL);
        return new UUID(most, random.getLeastSignificantBits());
    }
}
