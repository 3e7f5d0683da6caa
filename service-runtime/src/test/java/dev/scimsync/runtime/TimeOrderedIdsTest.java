package dev.scimsync.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void versionSevenWithTheTimeInItsFirstFortyEightBits() {
        Instant time = Instant.parse("2026-12-01T11:55:00.123Z");
        UUID id = TimeOrderedIds.at(time);
        assertEquals(7, id.version());
        assertEquals(2, id.variant(), "RFC 9562 variant");
        assertEquals(time.toEpochMilli(), id.getMostSignificantBits() >>> 16);
    }

    /**
     * What keeps a primary key's inserts at its right-hand end: a later millisecond sorts after, in the order
     * PostgreSQL compares uuids (bytewise, the same as their text).
     */
    @Test
    void aLaterMillisecondSortsAfter() {
        Instant time = Instant.parse("2026-12-01T11:55:00.123Z");
        for (int i = 0; i < 1000; i++) {
            UUID earlier = TimeOrderedIds.at(time);
            UUID later = TimeOrderedIds.at(time.plusMillis(1));
            assertTrue(earlier.toString().compareTo(later.toString()) < 0, earlier + " then " + later);
        }
    }

    @Test
    void idsOfOneMillisecondDiffer() {
        Instant time = Instant.now();
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(TimeOrderedIds.at(time));
        }
        assertEquals(10_000, ids.size());
    }
}
