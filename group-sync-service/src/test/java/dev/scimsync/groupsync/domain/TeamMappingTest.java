package dev.scimsync.groupsync.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TeamMappingTest {

    private static final Set<String> LINKED = Set.of("acme", "acme-labs");

    @Test
    void organizationTeamNamesMapToThatTeamAsMembers() {
        TeamMapping.Resolution backend = TeamMapping.resolve("acme:backend", Optional.empty(), LINKED);
        TeamMapping.Resolution desktop = TeamMapping.resolve("acme-labs:desktop", Optional.empty(), LINKED);

        assertEquals(new TeamMapping.Target("acme", "backend", "member"), backend.target());
        assertEquals(new TeamMapping.Target("acme-labs", "desktop", "member"), desktop.target());
    }

    @Test
    void organizationNamesCompareWithoutCaseAndKeepTheLinkedSpelling() {
        assertEquals("acme", TeamMapping.resolve("ACME: Backend ", Optional.empty(), LINKED).target().organization());
        assertEquals("Backend", TeamMapping.resolve("ACME: Backend ", Optional.empty(), LINKED).target().team());
    }

    @Test
    void namesNotInTheFormAreKeptUnmappedWithTheReason() {
        for (String name : new String[] {"Engineering", ":backend", "acme:", "acme:web:extra", "acme:  "}) {
            TeamMapping.Resolution resolution = TeamMapping.resolve(name, Optional.empty(), LINKED);
            assertFalse(resolution.isMapped(), name);
            assertEquals("group '" + name + "' is not formatted as 'organization:team' - ignored",
                    resolution.unmappedReason());
        }
    }

    @Test
    void organizationsNotLinkedToTheConnectionAreIgnoredWithTheReason() {
        TeamMapping.Resolution resolution = TeamMapping.resolve("globex:web", Optional.empty(), LINKED);

        assertFalse(resolution.isMapped());
        assertEquals("group 'globex:web' names organization 'globex', which is not linked to this connection - ignored",
                resolution.unmappedReason());
    }

    @Test
    void anExplicitMappingWinsOverTheName() {
        TeamMapping.Target explicit = new TeamMapping.Target("acme", "platform", "editor");

        assertEquals(explicit, TeamMapping.resolve("acme:backend", Optional.of(explicit), LINKED).target());
        assertEquals(explicit, TeamMapping.resolve("All Engineers", Optional.of(explicit), LINKED).target());
    }

    @Test
    void rolesAreMemberEditorOrOwner() {
        assertEquals(Optional.of("owner"), TeamMapping.role("Owner"));
        assertEquals(Optional.of("member"), TeamMapping.role(null));
        assertTrue(TeamMapping.role("admin").isEmpty());
    }
}
