package dev.scimsync.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seat meter counts the seats active members hold, not everyone listed. */
class SeatUsageTest {

    @Test
    void deactivatedMembersAreListedButHoldNoSeat() {
        Map<String, Object> usage = SeatUsage.of(List.of(Map.of("name", "acme", "seats", 3, "members", 5,
                "seatsUsed", 2))).get(0);

        assertEquals("2 of 3 seats used (3 deactivated, holding none)", usage.get("summary"));
        assertEquals(false, usage.get("full"));
    }

    @Test
    void aFullOrganizationAndOneWithoutALimit() {
        List<Map<String, Object>> usage = SeatUsage.of(List.of(
                Map.of("name", "full", "seats", 2, "members", 2, "seatsUsed", 2),
                Map.of("name", "open", "members", 4, "seatsUsed", 4)));

        assertEquals(true, usage.get(0).get("full"));
        assertEquals("2 of 2 seats used", usage.get(0).get("summary"));
        assertEquals("4 active members, no seat limit", usage.get(1).get("summary"));
        assertEquals(false, usage.get(1).get("full"));
    }
}
