package dev.scimsync.membership.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignInRulesTest {

    private static final Placements.ConnectionDefaults DEFAULTS = new Placements.ConnectionDefaults("acme-sso", "acme",
            "everyone", Role.MEMBER, Set.of("acme", "acme-labs"));

    @Test
    void theSignInsRoleIsDockerRoleElseRoleAndOnlyAKnownOne() {
        assertEquals(Optional.empty(), SignInRules.role(null));
        assertEquals(Optional.empty(), SignInRules.role(Map.of()));
        assertEquals(Optional.of(Role.EDITOR), SignInRules.role(Map.of("role", "Editor")));
        assertEquals(Optional.of(Role.OWNER), SignInRules.role(Map.of("dockerRole", "owner", "role", "editor")));
        assertEquals(Optional.empty(), SignInRules.role(Map.of("role", "admin")));
    }

    @Test
    void groupsOfLinkedOrganizationsPlaceAndTheOthersAreIgnoredInOrder() {
        SignInRules.GroupPlacements placed = SignInRules.byGroups(Arrays.asList("acme:backend", "engineers",
                "other:team", "acme-labs:desktop", "acme:", null), DEFAULTS, Optional.empty());
        assertEquals(List.of(new Placements.Resolved("acme", "backend", Role.MEMBER),
                new Placements.Resolved("acme-labs", "desktop", Role.MEMBER)), placed.placements());
        assertEquals(Arrays.asList("engineers", "other:team", "acme:", null), placed.ignoredGroups());
    }

    /** As a SCIM group's: organization names are lower-case, and an IdP's group may not be. */
    @Test
    void aGroupNamesItsOrganizationInAnyCase() {
        assertEquals(List.of(new Placements.Resolved("acme-labs", "Developers", Role.MEMBER)),
                SignInRules.byGroups(List.of("ACME-Labs:Developers"), DEFAULTS, Optional.empty()).placements());
    }

    @Test
    void theSignInsRoleWinsOverTheDefaultRoleInEveryGroup() {
        assertEquals(List.of(new Placements.Resolved("acme", "backend", Role.OWNER)),
                SignInRules.byGroups(List.of("acme:backend"), DEFAULTS, Optional.of(Role.OWNER)).placements());
    }

    @Test
    void noGroupsPlaceNoOneAndIgnoreNothing() {
        assertEquals(new SignInRules.GroupPlacements(List.of(), List.of()),
                SignInRules.byGroups(null, DEFAULTS, Optional.of(Role.OWNER)));
    }

    @Test
    void withoutGroupsANewcomerJoinsTheDefaultOrganizationAndTeam() {
        assertEquals(Optional.of(new Placements.Resolved("acme", "everyone", Role.MEMBER)),
                SignInRules.byDefault(DEFAULTS, Optional.empty(), Optional.empty()));
        assertEquals(Optional.of(new Placements.Resolved("acme", "everyone", Role.EDITOR)),
                SignInRules.byDefault(DEFAULTS, Optional.of(Role.EDITOR), Optional.empty()));
    }

    @Test
    void withoutGroupsAMemberKeepsItsRoleUnlessTheSignInNamesOneAndItsTeamsStay() {
        assertEquals(Optional.empty(), SignInRules.byDefault(DEFAULTS, Optional.empty(), Optional.of(Role.OWNER)));
        assertEquals(Optional.of(new Placements.Resolved("acme", null, Role.EDITOR)),
                SignInRules.byDefault(DEFAULTS, Optional.of(Role.EDITOR), Optional.of(Role.OWNER)));
    }

    @Test
    void withoutJitAMemberGetsItsActiveLinkedOrganizationsSorted() {
        assertEquals(new SignInOutcome.Granted("a-1", List.of("acme", "acme-labs"), List.of()),
                SignInRules.withoutJit("ada@x.test", "acme-sso", "a-1", List.of("acme-labs", "elsewhere", "acme"),
                        DEFAULTS.linkedOrganizations()));
        assertEquals(new SignInOutcome.Granted(null, List.of("acme"), List.of()),
                SignInRules.withoutJit("ada@x.test", "acme-sso", null, List.of("acme"),
                        DEFAULTS.linkedOrganizations()));
    }

    @Test
    void withoutJitSomeoneInNoLinkedOrganizationIsDenied() {
        assertEquals(new SignInOutcome.Denied("access denied: ada@x.test is not assigned to this organization "
                        + "(JIT provisioning is off for connection acme-sso)"),
                SignInRules.withoutJit("ada@x.test", "acme-sso", "a-1", List.of("elsewhere"),
                        DEFAULTS.linkedOrganizations()));
    }

    @Test
    void aNewAccountHasTheNamesGivenAndTheTrimmedEmailAsPrimary() {
        assertEquals("{\"name\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"},"
                        + "\"emails\":[{\"value\":\"ada@x.test\",\"primary\":true}]}",
                SignInRules.newAccountAttributes(new SignInAttempt(" ada@x.test ", "Ada", "Lovelace", null, null))
                        .toString());
        assertEquals("{\"name\":{},\"emails\":[{\"value\":\"ada@x.test\",\"primary\":true}]}",
                SignInRules.newAccountAttributes(new SignInAttempt("ada@x.test", null, null, null, null)).toString());
    }
}
