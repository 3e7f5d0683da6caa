package dev.scimsync.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.console.view.Organization;
import org.junit.jupiter.api.Test;

/** The seat meter counts the seats active members hold, not everyone listed. */
class OrganizationSeatUsageTest {

    @Test
    void deactivatedMembersAreListedButHoldNoSeat() {
        Organization acme = new Organization("acme", 3, 5, 2L);

        assertEquals("2 of 3 seats used (3 deactivated, holding none)", acme.summary());
        assertTrue(acme.limited());
        assertFalse(acme.full());
    }

    @Test
    void aFullOrganizationAndOneWithoutALimit() {
        Organization full = new Organization("full", 2, 2, 2L);
        Organization open = new Organization("open", null, 4, 4L);

        assertTrue(full.full());
        assertEquals("2 of 2 seats used", full.summary());
        assertEquals("4 active members, no seat limit", open.summary());
        assertFalse(open.limited());
        assertFalse(open.full());
    }

    @Test
    void withoutTheActiveCountEveryMemberHoldsASeat() {
        assertEquals("1 of 1 seats used", new Organization("old", 1, 1, null).summary());
    }
}
