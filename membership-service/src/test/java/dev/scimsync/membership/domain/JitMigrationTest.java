package dev.scimsync.membership.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JitMigrationTest {

    private static final String MANUAL = "added by hand: SCIM never adopts manual members; an admin removes them";

    @Test
    void aDryRunUnlessFalseIsAskedForAndItChangesNothing() {
        assertEquals(new JitMigration(true, false, List.of("ada@x.test"),
                        List.of(new JitMigration.NotAdoptable("bob@x.test", MANUAL))),
                JitMigration.of(null, false, List.of("ada@x.test"), List.of("bob@x.test")));
        assertEquals(new JitMigration(true, false, List.of(), List.of()), JitMigration.of(true, false, List.of(),
                List.of()));
        assertEquals(new JitMigration(true, true, List.of(), List.of()), JitMigration.of(null, true, List.of(),
                List.of()));
    }

    @Test
    void aRealRunTurnsAdoptionOn() {
        assertEquals(new JitMigration(false, true, List.of("ada@x.test"), List.of()),
                JitMigration.of(false, false, List.of("ada@x.test"), List.of()));
    }
}
