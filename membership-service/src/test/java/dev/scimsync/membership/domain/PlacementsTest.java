package dev.scimsync.membership.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.GroupNames;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementsTest {

    private static final Placements.ConnectionDefaults DEFAULTS = new Placements.ConnectionDefaults("acme-sso", "acme",
            "everyone", Role.MEMBER, Set.of("acme", "acme-labs"));

    @Test
    void withoutTheExtensionTheConnectionDefaultsApply() throws Exception {
        assertEquals(new Placements.Resolved("acme", "everyone", Role.MEMBER), Placements.resolve(DEFAULTS, null));
        assertEquals(new Placements.Resolved("acme", "everyone", Role.MEMBER),
                Placements.resolve(DEFAULTS, new Placement(" ", "", null)));
    }

    @Test
    void roleAndTeamOverrideTheDefaults() throws Exception {
        assertEquals(new Placements.Resolved("acme", "backend", Role.OWNER),
                Placements.resolve(DEFAULTS, new Placement("Owner", null, "backend")));
    }

    @Test
    void anOrganizationWithoutATeamMeansNoTeam() throws Exception {
        assertEquals(new Placements.Resolved("acme-labs", null, Role.MEMBER),
                Placements.resolve(DEFAULTS, new Placement(null, "ACME-LABS", null)));
        assertEquals(new Placements.Resolved("acme-labs", "desktop", Role.EDITOR),
                Placements.resolve(DEFAULTS, new Placement("editor", "acme-labs", "desktop")));
    }

    /** An Entra expression that sends dockerOrg for everyone names the default organization for most people. */
    @Test
    void theDefaultOrganizationNamedKeepsItsDefaultTeam() throws Exception {
        assertEquals(new Placements.Resolved("acme", "everyone", Role.MEMBER),
                Placements.resolve(DEFAULTS, new Placement(null, "Acme", null)));
        assertEquals(new Placements.Resolved("acme", "backend", Role.MEMBER),
                Placements.resolve(DEFAULTS, new Placement(null, "acme", "backend")));
    }

    @Test
    void anUnlinkedOrganizationOrAnUnknownRoleIsRefusedWithAReason() {
        var unlinked = assertThrows(Placements.InvalidPlacement.class,
                () -> Placements.resolve(DEFAULTS, new Placement(null, "globex", null)));
        assertTrue(unlinked.getMessage().contains("'globex' is not linked to connection 'acme-sso'"), unlinked.getMessage());
        var role = assertThrows(Placements.InvalidPlacement.class,
                () -> Placements.resolve(DEFAULTS, new Placement("admin", null, null)));
        assertTrue(role.getMessage().contains("member, editor, owner"), role.getMessage());
    }

    @Test
    void groupNamesOfTheFormOrganizationTeam() {
        assertEquals(Optional.of(new GroupNames.OrganizationTeam("acme", "backend")), GroupNames.parse("acme:backend"));
        assertEquals(Optional.empty(), GroupNames.parse("Engineering"));
        assertEquals(Optional.empty(), GroupNames.parse(":team"));
        assertEquals(Optional.empty(), GroupNames.parse("org:"));
        assertEquals(Optional.empty(), GroupNames.parse("a:b:c"));
        assertEquals(Optional.empty(), GroupNames.parse(null));
    }
}
