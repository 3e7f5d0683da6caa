package dev.scimsync.membership.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionMigrationTest {

    private static final List<ConnectionMigration.Candidate> CANDIDATES = List.of(
            new ConnectionMigration.Candidate("ada@x.test", true, false),
            new ConnectionMigration.Candidate("leaver@x.test", false, false),
            new ConnectionMigration.Candidate("shared@x.test", true, true));

    @Test
    void activeMembersOfTheNewConnectionsOrganizationsAloneAreAdoptedAndTheOthersSayWhyNot() {
        ConnectionMigration migration = ConnectionMigration.of(null, false, "acme-okta", "acme-entra", CANDIDATES);

        assertTrue(migration.dryRun());
        assertFalse(migration.adoptionEnabled(), "a dry run changes nothing");
        assertEquals(List.of("ada@x.test"), migration.adoptable());
        assertEquals(List.of("leaver@x.test", "shared@x.test"),
                migration.notAdoptable().stream().map(JitMigration.NotAdoptable::email).toList());
        assertEquals("deactivated by the IdP of connection acme-okta: a migration adopts active members only - "
                + "re-activate the user there, or remove the member by hand", migration.notAdoptable().get(0).reason());
        assertTrue(migration.notAdoptable().get(1).reason().startsWith("also a member of organizations connection "
                + "acme-entra does not serve"), migration.notAdoptable().get(1).reason());
    }

    @Test
    void aRealRunTurnsAdoptionOnAndADryRunKeepsItOn() {
        assertTrue(ConnectionMigration.of(false, false, "acme-okta", "acme-entra", List.of()).adoptionEnabled());
        assertFalse(ConnectionMigration.of(false, false, "acme-okta", "acme-entra", List.of()).dryRun());
        assertTrue(ConnectionMigration.of(true, true, "acme-okta", "acme-entra", List.of()).adoptionEnabled());
    }
}
