package dev.scimsync.groupsync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MemberIdsTest {

    @Test
    void parsesIdsInOrderWithoutDuplicates() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();

        MemberIds.Parsed parsed = MemberIds.parse(List.of(a.toString(), " " + b + " ", a.toString()));

        assertEquals(List.of(a, b), parsed.ids());
        assertEquals(Optional.empty(), parsed.error());
    }

    @Test
    void namesIdsThatAreNotUsersAndCountsTheRest() {
        assertEquals(Optional.of("member 'bob' is not a user of this connection"),
                MemberIds.parse(List.of("bob")).error());
        assertEquals("members '1', '2', '3', '4', '5' and 2 more are not users of this connection",
                MemberIds.notUsers(List.of("1", "2", "3", "4", "5", "6", "7")));
    }
}
