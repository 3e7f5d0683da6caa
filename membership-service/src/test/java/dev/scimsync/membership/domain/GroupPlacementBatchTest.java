package dev.scimsync.membership.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupPlacements;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserProfile;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Groups place people (issue 20), on in-memory state: a mapped group makes a SCIM user a member of its
 * organization with the highest role, takes a seat, and only groups' memberships end when the groups do; the
 * attribute placement (dockerOrg, the connection's default) and the groups keep each other's memberships.
 */
class GroupPlacementBatchTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final UUID CONNECTION = UUID.randomUUID();
    private static final UUID ACME = UUID.randomUUID();
    private static final UUID LABS = UUID.randomUUID();

    private final BatchState state = new BatchState();
    private final BatchState.Account pat;

    GroupPlacementBatchTest() {
        state.connection(new BatchState.Connection(CONNECTION, "acme-sso", true, false, null,
                new Placements.ConnectionDefaults("acme-sso", "acme", null, Role.MEMBER, Set.of("acme", "labs"))));
        state.organization(new BatchState.Organization(ACME, "acme", null, 1));
        state.organization(new BatchState.Organization(LABS, "labs", 2, 0));
        pat = new BatchState.Account(UUID.randomUUID(), CONNECTION, "pat@acme.test", null, true, "scim",
                ContractJson.mapper().createObjectNode(), 1, NOW, NOW, null);
        state.account(pat);
        // The connection's default placement: member of acme.
        state.member(new BatchState.Member(pat.id, ACME, "member", "active", "scim", "member", NOW));
    }

    private static GroupPlacements.Place place(String organization, String role, String group) {
        return new GroupPlacements.Place(organization, "team", role, group);
    }

    private GroupPlacements placements(BatchState.Account account, GroupPlacements.Place... places) {
        return new GroupPlacements(UUID.randomUUID().toString(), account.id.toString(), CONNECTION.toString(),
                List.of(places), NOW);
    }

    private GroupPlacementBatch.Result apply(GroupPlacements... records) {
        return new GroupPlacementBatch(List.of(records), NOW).apply(state);
    }

    private BatchState.Member member(BatchState.Account account, UUID organization) {
        return state.membersByAccount.getOrDefault(account.id, java.util.Map.of()).get(organization);
    }

    @Test
    void aMappedGroupMakesItsMembersMembersOfItsOrganizationWithItsRoleTakingASeat() {
        GroupPlacementBatch.Result result = apply(placements(pat, place("labs", "editor", "Labs Editors")));

        BatchState.Member labs = member(pat, LABS);
        assertEquals("editor", labs.role);
        assertEquals("active", labs.state);
        assertNull(labs.attributeRole, "only a group keeps it there");
        assertEquals(Set.of(labs), result.changes().insertedMembers);
        assertEquals(1, state.organizationsById.get(LABS).memberCount, "a seat");
        assertEquals(List.of(new GroupPlacementBatch.Placement(pat.id, LABS, "editor", List.of("Labs Editors"))),
                result.placements());
        assertTrue(result.changes().updatedMembers.isEmpty(), "acme, from the default placement, is untouched");
    }

    @Test
    void theHighestRoleWinsAndFallsBackToTheAttributeRoleWhenTheGroupGoes() {
        apply(placements(pat, place("acme", "member", "Everyone"), place("acme", "owner", "Admins")));
        assertEquals("owner", member(pat, ACME).role, "the highest of the groups and the attribute");

        GroupPlacementBatch.Result left = apply(placements(pat));

        assertEquals("member", member(pat, ACME).role, "back to what dockerRole (or the default) gives");
        assertTrue(left.changes().deletedMembers.isEmpty(), "the attribute placement keeps it in acme");
        assertEquals(Set.of(pat.id), left.accounts(), "its placements are replaced by none");
    }

    @Test
    void leavingTheLastGroupOfAnOrganizationEndsOnlyTheMembershipGroupsMade() {
        apply(placements(pat, place("labs", "member", "labs:research"), place("labs", "member", "labs:web")));
        assertEquals(1, state.organizationsById.get(LABS).memberCount);

        GroupPlacementBatch.Result stillOne = apply(placements(pat, place("labs", "member", "labs:web")));
        assertTrue(stillOne.changes().deletedMembers.isEmpty(), "another group keeps it in labs");

        GroupPlacementBatch.Result none = apply(placements(pat));
        assertEquals(1, none.changes().deletedMembers.size());
        assertEquals(LABS, none.changes().deletedMembers.get(0).organizationId, "member.removed for labs only");
        assertEquals(0, state.organizationsById.get(LABS).memberCount, "the seat is free");
        assertEquals("active", member(pat, ACME).state);
    }

    @Test
    void aGroupDoesNotPlaceAUserBesideItsEmailAddedByHandAndSaysWhy() {
        state.manualMember("labs", "PAT@acme.test");

        GroupPlacementBatch.Result result = apply(placements(pat, place("labs", "editor", "labs:research")));

        assertNull(member(pat, LABS), "the member added by hand stays the one pat is in labs");
        assertTrue(result.changes().insertedMembers.isEmpty());
        assertEquals(0, state.organizationsById.get(LABS).memberCount);
        BatchChanges.ProvisioningError error = result.changes().errors.get(0);
        assertEquals("NOT_MANAGED", error.reason());
        assertTrue(error.detail().contains("added by hand"), error.detail());
        assertEquals(List.of(new GroupPlacementBatch.Placement(pat.id, LABS, "editor", List.of("labs:research"))),
                result.placements(), "kept: made at the user's next change once the member added by hand is gone");
    }

    @Test
    void aGroupDoesNotPlaceAUserBesideItsEmailAMemberThroughAnotherConnection() {
        state.otherMember(new BatchState.OtherMember("labs", "pat@ACME.test", UUID.randomUUID(), "labs-okta", "scim"));

        GroupPlacementBatch.Result result = apply(placements(pat, place("labs", "editor", "labs:research")));

        assertNull(member(pat, LABS));
        assertEquals(0, state.organizationsById.get(LABS).memberCount);
        BatchChanges.ProvisioningError error = result.changes().errors.get(0);
        assertEquals("NOT_MANAGED", error.reason());
        assertTrue(error.detail().endsWith("in organization labs, where pat@acme.test is a member through connection "
                + "labs-okta (source scim); one person is one member of an organization, so that member stays as it "
                + "is"), error.detail());
    }

    @Test
    void aFullOrganizationRefusesThePlacementSaysWhyAndTakesItOnceSeatsAreAdded() {
        state.organizationsById.get(LABS).memberCount = 2;

        GroupPlacementBatch.Result refused = apply(placements(pat, place("labs", "member", "labs:research")));

        assertNull(member(pat, LABS));
        assertEquals(1, refused.placements().size(), "the placement is kept, to be made later");
        BatchChanges.ProvisioningError error = refused.changes().errors.get(0);
        assertEquals("NO_SEATS", error.reason());
        assertEquals("group.placement", error.operation());
        assertTrue(error.detail().contains("organization labs") && error.detail().contains("all 2 seats"),
                error.detail());

        // An admin raises the limit: the retry reads the organization with its new limit.
        BatchState afterSeats = new BatchState();
        afterSeats.connection(state.connections.get(CONNECTION));
        afterSeats.organization(new BatchState.Organization(LABS, "labs", 3, 2));
        afterSeats.account(pat);
        afterSeats.groupPlacement(pat.id, LABS, "member");
        BatchChanges retried = GroupPlacementBatch.retry(afterSeats, NOW);

        assertEquals(1, retried.insertedMembers.size());
        assertEquals(3, afterSeats.organizationsById.get(LABS).memberCount);
        assertTrue(retried.errors.isEmpty());
    }

    @Test
    void aDeactivatedUserIsPlacedWhenTheIdpReactivatesIt() {
        pat.active = false;
        member(pat, ACME).state = "deactivated";

        GroupPlacementBatch.Result whileDeactivated = apply(placements(pat, place("labs", "editor", "labs:research")));
        assertNull(member(pat, LABS), "no seat for a deactivated user");
        assertEquals(1, whileDeactivated.placements().size());

        // The IdP re-activates it: the user command places it by the same rules, groups included.
        UserCommand reactivate = UserCommand.replace(CONNECTION.toString(), pat.id.toString(),
                new UserProfile("pat@acme.test", null, true, ContractJson.mapper().createObjectNode(),
                        new Placement(null, null, null)), null, null);
        UserCommandBatch.Result result = new UserCommandBatch(List.of(new UserCommandBatch.Pending(reactivate, null)),
                NOW).apply(state);

        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(0).status());
        assertEquals("active", member(pat, ACME).state);
        assertEquals("editor", member(pat, LABS).role, "back in the organization its group places it in");
        assertEquals(1, state.organizationsById.get(LABS).memberCount);
    }

    @Test
    void aMovedAttributePlacementKeepsTheOrganizationAGroupPlacesItIn() {
        apply(placements(pat, place("acme", "editor", "acme:platform")));

        UserCommand move = UserCommand.replace(CONNECTION.toString(), pat.id.toString(),
                new UserProfile("pat@acme.test", null, true, ContractJson.mapper().createObjectNode(),
                        new Placement("owner", "labs", null)), null, null);
        UserCommandBatch.Result result = new UserCommandBatch(List.of(new UserCommandBatch.Pending(move, null)), NOW)
                .apply(state);

        assertTrue(result.changes().deletedMembers.isEmpty(), "the group keeps it in acme");
        BatchState.Member acme = member(pat, ACME);
        assertEquals("editor", acme.role, "the group's role, no longer raised by the attribute");
        assertNull(acme.attributeRole);
        assertEquals("owner", member(pat, LABS).role);
        assertEquals("owner", member(pat, LABS).attributeRole);
    }

    @Test
    void onlyTheLatestRecordOfAUserInAPollCountsAndOtherAccountsAreLeftAlone() {
        BatchState.Account jit = new BatchState.Account(UUID.randomUUID(), CONNECTION, "jit@acme.test", null, true,
                "jit", ContractJson.mapper().createObjectNode(), 1, NOW, NOW, null);
        state.account(jit);

        GroupPlacementBatch.Result result = apply(placements(pat, place("labs", "member", "labs:research")),
                placements(jit, place("labs", "owner", "labs:research")), placements(pat));

        assertNull(member(pat, LABS), "joined, then left, in one poll: nothing");
        assertNull(member(jit, LABS), "a member JIT sign-in made is not SCIM's to place");
        assertEquals(Set.of(pat.id), result.accounts());
        assertTrue(result.changes().insertedMembers.isEmpty());
    }

    @Test
    void anOrganizationNotLinkedToTheConnectionIsRefusedAndSaidSo() {
        GroupPlacementBatch.Result result = apply(placements(pat, place("globex", "member", "globex:web"),
                place("labs", "boss", "labs:web")));

        assertTrue(result.placements().isEmpty());
        assertEquals(2, result.changes().errors.size());
        assertTrue(result.changes().errors.get(0).detail().contains("globex"), result.changes().errors.get(0).detail());
        assertFalse(state.membersByAccount.get(pat.id).containsKey(LABS));
    }
}
