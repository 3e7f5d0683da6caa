package dev.scimsync.membership.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandFailure.Reason;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.Placement;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.contracts.UserCommandType;
import dev.scimsync.contracts.UserProfile;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The membership rules of a batch, on in-memory state: what each command answers and which rows it writes. */
class UserCommandBatchTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final UUID CONNECTION = UUID.randomUUID();
    private static final UUID ACME = UUID.randomUUID();
    private static final UUID LABS = UUID.randomUUID();

    private final BatchState state = new BatchState();

    UserCommandBatchTest() {
        state.connection(new BatchState.Connection(CONNECTION, "acme-sso", true, false, null,
                new Placements.ConnectionDefaults("acme-sso", "acme", "everyone", Role.MEMBER, Set.of("acme", "labs"))));
        state.organization(new BatchState.Organization(ACME, "acme", null, 0));
        state.organization(new BatchState.Organization(LABS, "labs", 1, 0));
    }

    private static UserProfile profile(String userName, boolean active, Placement placement) {
        return new UserProfile(userName, null, active, ContractJson.mapper().createObjectNode(), placement);
    }

    private static UserCommand create(String userName) {
        return UserCommand.create(CONNECTION.toString(), profile(userName, true, null), null);
    }

    private static UserCommandBatch.Pending pending(UserCommand command) {
        return new UserCommandBatch.Pending(command, null);
    }

    private UserCommandBatch.Result apply(UserCommand... commands) {
        return new UserCommandBatch(List.of(commands).stream().map(UserCommandBatchTest::pending).toList(), NOW)
                .apply(state);
    }

    private BatchState.Account scimAccount(String userName, String source) {
        BatchState.Account account = new BatchState.Account(UUID.randomUUID(), CONNECTION, userName, null, true, source,
                ContractJson.mapper().createObjectNode(), 1, NOW, NOW, null);
        state.account(account);
        state.member(new BatchState.Member(account.id, ACME, "member", "active", source, "scim".equals(source) ? "member" : null, NOW));
        return account;
    }

    @Test
    void aSyncOfNewUsersIsOneInsertOfEachKindOfRow() {
        UserCommandBatch.Result result = apply(create("a@x.test"), create("b@x.test"), create("c@x.test"));

        result.outcomes().forEach(outcome -> assertEquals(CommandOutcome.Status.APPLIED, outcome.status()));
        BatchChanges changes = result.changes();
        assertEquals(3, changes.insertedAccounts.size());
        assertEquals(3, changes.insertedMembers.size());
        assertEquals(1, changes.insertedTeams.size(), "the default team, created on first use, once");
        assertEquals(3, changes.insertedTeamMembers.size());
        assertEquals(3, changes.processed.size());
        assertTrue(changes.updatedAccounts.isEmpty() && changes.updatedMembers.isEmpty() && changes.errors.isEmpty());
        assertEquals(1, result.outcomes().get(0).user().version());
    }

    @Test
    void theSameUserNameTwiceInABatchIsTakenTheSecondTimeInAnyCase() {
        UserCommandBatch.Result result = apply(create("Jane@x.test"), create("jane@X.TEST"));

        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(0).status());
        assertEquals(Reason.UNIQUENESS, result.outcomes().get(1).failure().reason());
        assertEquals(1, result.changes().insertedAccounts.size());
        assertEquals(1, result.changes().errors.size(), "the rejection is listed for the admin");
    }

    @Test
    void seatsAreCountedAcrossTheBatchAndARefusedCreateWritesNothingButItsRecords() {
        Placement labs = new Placement(null, "labs", null);
        UserCommand first = UserCommand.create(CONNECTION.toString(), profile("one@x.test", true, labs), null);
        UserCommand second = UserCommand.create(CONNECTION.toString(), profile("two@x.test", true, labs), null);

        UserCommandBatch.Result result = apply(first, second);

        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(0).status());
        assertEquals(Reason.NO_SEATS, result.outcomes().get(1).failure().reason());
        assertTrue(result.outcomes().get(1).failure().detail().startsWith(
                "not enough seats in organization labs (all 1 seats are taken)"), result.outcomes().get(1).failure().detail());
        assertEquals(1, result.changes().insertedAccounts.size());
        assertEquals(2, result.changes().processed.size());
    }

    @Test
    void aRedeliveredCommandGetsItsFirstOutcomeAndWritesNothing() {
        UserCommand command = create("again@x.test");
        CommandOutcome first = CommandOutcome.rejected(command.commandId(), command.connectionId(),
                new dev.scimsync.contracts.CommandFailure(Reason.UNIQUENESS, "taken"));
        state.processed(first);

        UserCommandBatch.Result result = apply(command, command);

        assertSame(first, result.outcomes().get(0));
        assertSame(first, result.outcomes().get(1));
        assertTrue(result.changes().processed.isEmpty() && result.changes().insertedAccounts.isEmpty());
    }

    @Test
    void eachCommandIsTheLifecycleTransitionItsVerbAndActiveFlagsName() {
        record Case(UserCommandType type, boolean activeBefore, boolean activeAfter, MemberTransition expected) {
        }
        List<Case> cases = List.of(
                new Case(UserCommandType.CREATE, false, true, MemberTransition.CREATE),
                new Case(UserCommandType.CREATE, false, false, MemberTransition.CREATE),
                new Case(UserCommandType.REPLACE, true, true, MemberTransition.UPDATE_PROFILE),
                new Case(UserCommandType.REPLACE, false, false, MemberTransition.UPDATE_PROFILE),
                new Case(UserCommandType.REPLACE, true, false, MemberTransition.DEACTIVATE),
                new Case(UserCommandType.REPLACE, false, true, MemberTransition.REACTIVATE),
                new Case(UserCommandType.DELETE, true, true, MemberTransition.REMOVE),
                new Case(UserCommandType.DELETE, false, false, MemberTransition.REMOVE));

        for (Case c : cases) {
            assertEquals(c.expected(), MemberTransition.of(c.type(), c.activeBefore(), c.activeAfter()), c.toString());
        }
    }

    @Test
    void onlyARemovalOrAReplaceWithActiveFalseMayDeprovisionAndHeldChangesStoreTheirTransition() {
        BatchState.Account account = scimAccount("any@x.test", "scim");

        assertTrue(MemberTransition.mayDeprovision(replace(account, false)));
        assertTrue(MemberTransition.mayDeprovision(UserCommand.delete(CONNECTION.toString(), account.id.toString(),
                null, null)));
        assertFalse(MemberTransition.mayDeprovision(replace(account, true)));
        assertFalse(MemberTransition.mayDeprovision(create("new@x.test")));
        assertEquals(List.of("deactivate", "remove"),
                List.of(MemberTransition.DEACTIVATE.wireName(), MemberTransition.REMOVE.wireName()),
                "the values held_change.kind accepts (V15)");
    }

    @Test
    void updateProfileChangesTheAccountButNotItsMembershipState() {
        BatchState.Account account = scimAccount("old-name@x.test", "scim");
        state.organizationsById.get(ACME).memberCount = 1;
        UserCommand renamed = UserCommand.replace(CONNECTION.toString(), account.id.toString(),
                profile("new-name@x.test", true, new Placement(null, null, null)), account.version, null);

        UserCommandBatch.Result result = apply(renamed);

        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(0).status());
        assertEquals("new-name@x.test", account.userName);
        assertEquals(List.of(account), List.copyOf(result.changes().updatedAccounts), "member.updated per membership");
        assertTrue(result.changes().updatedMembers.isEmpty(), "same state and role: no member row written");
        assertTrue(result.changes().deprovisionings.isEmpty());
        assertNull(account.deactivatedAt);
        assertEquals(1, state.organizationsById.get(ACME).memberCount, "the seat stays taken");
    }

    @Test
    void removingADeactivatedMemberTakesNoAccessAndIsNotHeldWhileDeactivatingAnActiveOneIs() {
        // The window has taken 50 already: every further deprovisioning is held.
        state.guard(CONNECTION, new BatchState.Guard(true, 10, 50, 5, 100, 50, 0));
        BatchState.Account deactivated = scimAccount("gone-already@x.test", "scim");
        deactivated.active = false;
        state.membersByAccount.get(deactivated.id).get(ACME).state = "deactivated";
        BatchState.Account active = scimAccount("still-here@x.test", "scim");

        UserCommandBatch.Result result = apply(
                UserCommand.delete(CONNECTION.toString(), deactivated.id.toString(), null, null),
                replace(active, false));

        assertTrue(result.outcomes().get(0).deleted());
        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(0).status());
        assertEquals(CommandOutcome.Status.HELD, result.outcomes().get(1).status());
        assertEquals(List.of("deactivate"), result.changes().heldChanges.stream().map(BatchChanges.HeldChange::kind)
                .toList());
        assertTrue(result.changes().deprovisionings.isEmpty(), "neither counts in the guard's window");
        assertEquals(1, result.changes().deletedAccounts.size());
    }

    @Test
    void theIdpsUpdateOfAUserWhoseDeactivationIsHeldCarriesTheDeactivationOnInsteadOfUndoingIt() {
        BatchState.Account held = scimAccount("held@x.test", "scim");
        BatchState.Account other = scimAccount("other@x.test", "scim");
        state.guard(CONNECTION, new BatchState.Guard(true, 10, 50, 5, 100, 50, 0));
        UserCommandBatch.Result first = apply(replace(held, false));
        assertEquals(CommandOutcome.Status.HELD, first.outcomes().get(0).status());
        UUID hold = first.changes().heldChanges.get(0).id();

        // A PATCH of the title (active as the gateway read it: active, the deactivation being held), and one of a
        // user without a held change. The guard (which counts the connection's members) is read for the first only.
        UserCommandBatch carrying = new UserCommandBatch(List.of(pending(titled(held, "x"))), NOW);
        assertEquals(Set.of(CONNECTION), carrying.guardedConnections(state));
        UserCommandBatch plain = new UserCommandBatch(List.of(pending(titled(other, "x"))), NOW);
        assertEquals(Set.of(), plain.guardedConnections(state));
        UserCommandBatch.Result update = apply(titled(held, "Former engineer"), titled(other, "Engineer"));

        CommandOutcome answered = update.outcomes().get(0);
        assertEquals(CommandOutcome.Status.HELD, answered.status(), "a deactivation, held as the guard holds");
        assertFalse(answered.user().profile().active(), "answered as the IdP sees the user");
        assertEquals("Former engineer", answered.user().profile().attributes().path("title").asText());
        BatchChanges.HeldChange carried = update.changes().heldChanges.get(0);
        assertEquals("deactivate", carried.kind());
        assertFalse(carried.command().profile().active(), "what an approval applies: the deactivation");
        assertEquals(List.of(new BatchChanges.DecidedHold(hold, "superseded", NOW, null)), update.changes().decidedHolds,
                "the update carries the first held change: one person, one held change");
        assertEquals(List.of(carried.id()), state.pendingHoldsByAccount.get(held.id).stream()
                .map(BatchState.PendingHold::id).toList());
        assertTrue(held.active, "held: nothing applied yet");
        assertEquals(CommandOutcome.Status.APPLIED, update.outcomes().get(1).status());
        assertTrue(update.outcomes().get(1).user().profile().active(), "no held change: the state read is kept");
        assertEquals(List.of(other), List.copyOf(update.changes().updatedAccounts));

        // Once the guard lets deactivations through again, the next update applies the deactivation and supersedes
        // what was held.
        state.guard(CONNECTION, new BatchState.Guard(false, 10, 50, 5, 100, 0, 0));
        UserCommandBatch.Result released = apply(titled(held, "Alumnus"));

        assertEquals(CommandOutcome.Status.APPLIED, released.outcomes().get(0).status());
        assertFalse(held.active);
        assertEquals("deactivated", state.membersByAccount.get(held.id).get(ACME).state);
        assertEquals(List.of(carried.id()), released.changes().decidedHolds.stream()
                .map(BatchChanges.DecidedHold::id).toList());
    }

    @Test
    void aDeprovisioningSentAgainWhileHeldTakesThePlaceOfTheOneItCarries() {
        BatchState.Account leaver = scimAccount("leaver@x.test", "scim");
        BatchState.Guard guard = new BatchState.Guard(true, 10, 50, 5, 100, 50, 0);
        state.guard(CONNECTION, guard);
        UserCommand deactivation = replace(leaver, false);
        UserCommand again = replace(leaver, false);
        UserCommand removal = UserCommand.delete(CONNECTION.toString(), leaver.id.toString(), null, null);
        UserCommand deactivationAfterRemoval = replace(leaver, false);

        UserCommandBatch.Result result = apply(deactivation, again, removal, deactivationAfterRemoval);

        assertEquals(List.of(CommandOutcome.Status.HELD), result.outcomes().stream().map(CommandOutcome::status)
                .distinct().toList());
        List<BatchChanges.HeldChange> held = result.changes().heldChanges;
        assertEquals(List.of("deactivate", "deactivate", "remove", "deactivate"),
                held.stream().map(BatchChanges.HeldChange::kind).toList());
        // The repeat carries the first; the removal carries the repeat; a deactivation does not carry a removal.
        assertEquals(List.of(held.get(0).id(), held.get(1).id()), result.changes().decidedHolds.stream()
                .map(BatchChanges.DecidedHold::id).toList());
        assertEquals(List.of("superseded"), result.changes().decidedHolds.stream()
                .map(BatchChanges.DecidedHold::state).distinct().toList());
        assertEquals(List.of(held.get(2).id(), held.get(3).id()), state.pendingHoldsByAccount.get(leaver.id).stream()
                .map(BatchState.PendingHold::id).toList());
        assertEquals(2, guard.pending, "the guard counts what waits");
        assertTrue(leaver.active, "held: nothing applied");
    }

    @Test
    void aDeactivationIsAppliedAloneWhenWhatElseItCarriesIsRefused() {
        BatchState.Account leaving = scimAccount("leaving@x.test", "scim");
        leaving.attributes.put("title", "Engineer");
        state.teamPlacesByAccount.computeIfAbsent(leaving.id, id -> new java.util.HashMap<>()).put(UUID.randomUUID(),
                ACME);
        BatchState.Account staying = scimAccount("staying@x.test", "scim");
        Placement broken = new Placement("superadmin", null, null);

        // A whole user (PUT) with a broken role mapping: the deactivation of one, an update of the other.
        UserProfile deactivation = profile(leaving.userName, false, broken);
        deactivation.attributes().put("title", "Former engineer");
        UserCommandBatch.Result result = apply(
                UserCommand.replace(CONNECTION.toString(), leaving.id.toString(), deactivation, null, null),
                replace(staying, true, broken));

        CommandOutcome deactivated = result.outcomes().get(0);
        assertEquals(CommandOutcome.Status.APPLIED, deactivated.status());
        assertFalse(deactivated.user().profile().active());
        assertEquals("Engineer", deactivated.user().profile().attributes().path("title").asText(),
                "only the deactivation is applied");
        assertFalse(leaving.active);
        assertEquals(NOW, leaving.deactivatedAt);
        assertEquals("deactivated", state.membersByAccount.get(leaving.id).get(ACME).state);
        assertTrue(state.teamPlacesByAccount.get(leaving.id).isEmpty(), "out of its teams");
        assertEquals(1, result.changes().deprovisionings.size(), "counted by the guard");
        assertEquals(Reason.INVALID_VALUE, result.outcomes().get(1).failure().reason(), "an update is refused whole");
        assertTrue(staying.active);
        assertEquals(List.of("the deactivation was applied alone; the rest of the change was refused: role "
                        + "'superadmin' is not one of member, editor, owner", "role 'superadmin' is not one of member, "
                        + "editor, owner"), result.changes().errors.stream().map(BatchChanges.ProvisioningError::detail)
                .toList());
    }

    /**
     * The gateway refused what a request carried beside its {@code active: false} (a value over its length limit,
     * of the wrong type) and sent the deactivation alone: applied as any deactivation, the refusal listed. Of a user
     * deactivated since the gateway read it, the refusal is the answer.
     */
    @Test
    void aDeactivationTheGatewaySentAloneIsAppliedAndItsRefusalListed() {
        BatchState.Account leaving = scimAccount("leaving@x.test", "scim");
        leaving.attributes.put("title", "Engineer");
        BatchState.Account gone = scimAccount("gone@x.test", "scim");
        gone.active = false;
        CommandFailure refused = new CommandFailure(Reason.INVALID_VALUE, "'title' must be a string, got 42");

        UserCommandBatch.Result result = apply(
                UserCommand.deactivationAlone(CONNECTION.toString(), leaving.id.toString(),
                        leaving.toSnapshot().profile(), leaving.version, null, refused),
                UserCommand.deactivationAlone(CONNECTION.toString(), gone.id.toString(),
                        profile(gone.userName, true, null), gone.version, null, refused));

        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(0).status());
        assertFalse(leaving.active);
        assertEquals("Engineer", result.outcomes().get(0).user().profile().attributes().path("title").asText());
        assertEquals("deactivated", state.membersByAccount.get(leaving.id).get(ACME).state);
        assertEquals(1, result.changes().deprovisionings.size(), "counted by the guard");
        assertEquals(refused, result.outcomes().get(1).failure());
        assertEquals(List.of("the deactivation was applied alone; the rest of the change was refused: 'title' must "
                        + "be a string, got 42", "'title' must be a string, got 42"),
                result.changes().errors.stream().map(BatchChanges.ProvisioningError::detail).toList());
    }

    /** A PATCH of the user's title, as the gateway sends one that does not touch {@code active}. */
    private UserCommand titled(BatchState.Account account, String title) {
        UserProfile profile = profile(account.userName, account.active, null);
        profile.attributes().put("title", title);
        return UserCommand.replaceKeepingState(CONNECTION.toString(), account.id.toString(), profile,
                account.version, null);
    }

    private UserCommand replace(BatchState.Account account, boolean active, Placement placement) {
        return UserCommand.replace(CONNECTION.toString(), account.id.toString(),
                profile(account.userName, active, placement), account.version, null);
    }

    @Test
    void anAccountAnAdminRemovedByHandIsNotPlacedThereAgainNorRefusedForWantOfASeatThere() {
        BatchState.Account account = new BatchState.Account(UUID.randomUUID(), CONNECTION, "out@x.test", null, true,
                "scim", ContractJson.mapper().createObjectNode(), 1, NOW, NOW, null);
        account.removedByAdmin = Set.of(LABS);
        state.account(account);
        state.organization(new BatchState.Organization(LABS, "labs", 1, 1));

        UserCommandBatch.Result kept = apply(replace(account, true, new Placement(null, "labs", "research")));

        assertEquals(CommandOutcome.Status.APPLIED, kept.outcomes().get(0).status(), "labs is full, but not joined");
        assertTrue(kept.changes().insertedMembers.isEmpty() && kept.changes().insertedTeamMembers.isEmpty());
        assertEquals(1, kept.changes().errors.size());
        assertEquals("user.replace", kept.changes().errors.get(0).operation());
        assertTrue(kept.changes().errors.get(0).detail().contains("in organization labs, from which an admin removed "
                + "them by hand"), kept.changes().errors.get(0).detail());

        UserCommandBatch.Result elsewhere = apply(replace(account, true, null));
        assertEquals(List.of(ACME), elsewhere.changes().insertedMembers.stream().map(m -> m.organizationId).toList(),
                "only the organization it was removed from is kept out");
    }

    @Test
    void deactivateFreesTheSeatAndLeavesTheTeamsButKeepsTheMemberListed() {
        BatchState.Account account = scimAccount("leaver@x.test", "scim");
        UUID everyone = UUID.randomUUID();
        state.team(new BatchState.Team(everyone, ACME, "everyone"));
        state.teamMember(everyone, ACME, account.id, false);
        state.organizationsById.get(ACME).memberCount = 1;

        UserCommandBatch.Result result = apply(replace(account, false, new Placement(null, null, null)));

        assertEquals(2, result.outcomes().get(0).user().version());
        assertEquals(List.of(account), List.copyOf(result.changes().updatedAccounts));
        BatchState.Member member = result.changes().updatedMembers.iterator().next();
        assertEquals("deactivated", member.state, "listed, deactivated: member.deactivated");
        assertTrue(result.changes().insertedMembers.isEmpty() && result.changes().deletedMembers.isEmpty());
        assertEquals(List.of(new BatchChanges.TeamMember(everyone, account.id, NOW)), result.changes().deletedTeamMembers);
        assertTrue(result.changes().insertedTeamMembers.isEmpty(), "no team while deactivated");
        assertEquals(0, state.organizationsById.get(ACME).memberCount, "the seat is free");
    }

    @Test
    void aMembershipJoinedByInvitationFollowsTheIdpsDeactivationAndReactivationKeepingItsRoleAndSource() {
        BatchState.Account account = scimAccount("guest@x.test", "scim");
        BatchState.Member invited = new BatchState.Member(account.id, LABS, "editor", "active", "invite", null, NOW);
        state.member(invited);
        state.organizationsById.get(LABS).memberCount = 1;

        UserCommandBatch.Result deactivated = apply(replace(account, false));

        assertEquals(CommandOutcome.Status.APPLIED, deactivated.outcomes().get(0).status());
        assertTrue(deactivated.changes().updatedMembers.contains(invited), "member.deactivated there too");
        assertEquals(List.of("deactivated", "editor", "invite"), List.of(invited.state, invited.role, invited.source));
        assertEquals(0, state.organizationsById.get(LABS).memberCount, "its seat is free");

        // Re-activated while another took labs' one seat: active in acme, still deactivated in labs, and said so.
        state.organizationsById.get(LABS).memberCount = 1;
        UserCommandBatch.Result reactivated = apply(replace(account, true));

        assertEquals(CommandOutcome.Status.APPLIED, reactivated.outcomes().get(0).status());
        assertEquals("active", state.membersByAccount.get(account.id).get(ACME).state);
        assertEquals("deactivated", invited.state);
        assertEquals(List.of("NO_SEATS"), reactivated.changes().errors.stream().map(BatchChanges.ProvisioningError::reason)
                .toList());
        assertEquals(1, state.organizationsById.get(LABS).memberCount);
    }

    @Test
    void aTeamPlaceASignInMadeStaysThroughTheIdpsUpdatesButNotThroughItsDeactivation() {
        BatchState.Account account = scimAccount("pat@x.test", "scim");
        UUID everyone = UUID.randomUUID();
        UUID backend = UUID.randomUUID();
        state.team(new BatchState.Team(everyone, ACME, "everyone"));
        state.team(new BatchState.Team(backend, ACME, "backend"));
        state.teamMember(everyone, ACME, account.id, false);
        state.teamMember(backend, ACME, account.id, true);

        UserCommandBatch.Result updated = apply(replace(account, true));

        assertTrue(updated.changes().deletedTeamMembers.isEmpty(), "backend stays: " + updated.changes().deletedTeamMembers);
        UserCommandBatch.Result deactivated = apply(replace(account, false));
        assertEquals(Set.of(everyone, backend), deactivated.changes().deletedTeamMembers.stream()
                .map(BatchChanges.TeamMember::teamId).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void reactivateTakesASeatAgainAndIsRefusedWhenNoneIsLeft() {
        BatchState.Account returning = scimAccount("back@x.test", "scim");
        state.membersByAccount.get(returning.id).clear();
        state.member(new BatchState.Member(returning.id, LABS, "member", "deactivated", "scim", "member", NOW));
        returning.active = false;
        BatchState.Account other = scimAccount("other@x.test", "scim");
        state.membersByAccount.get(other.id).clear();
        state.member(new BatchState.Member(other.id, LABS, "member", "deactivated", "scim", "member", NOW));
        other.active = false;
        Placement labs = new Placement(null, "labs", "research");

        UserCommandBatch.Result result = apply(replace(returning, true, labs), replace(other, true, labs));

        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(0).status());
        assertEquals(Reason.NO_SEATS, result.outcomes().get(1).failure().reason(), "labs has 1 seat, now taken");
        BatchState.Member member = result.changes().updatedMembers.iterator().next();
        assertEquals(returning.id, member.accountId);
        assertEquals("active", member.state, "member.reactivated");
        assertEquals(1, result.changes().insertedTeamMembers.size(), "back in the placement's team");
        assertEquals(1, state.organizationsById.get(LABS).memberCount);
    }

    @Test
    void aMoveLeavesTheOldOrganizationAndTeamAndJoinsTheNewOnes() {
        BatchState.Account account = scimAccount("mover@x.test", "scim");
        UUID everyone = UUID.randomUUID();
        state.team(new BatchState.Team(everyone, ACME, "everyone"));
        state.teamMember(everyone, ACME, account.id, false);
        state.organizationsById.get(ACME).memberCount = 1;

        UserCommandBatch.Result moved = apply(replace(account, true, new Placement("owner", "labs", "research")));

        assertEquals(CommandOutcome.Status.APPLIED, moved.outcomes().get(0).status());
        BatchState.Member left = moved.changes().deletedMembers.get(0);
        assertEquals(ACME, left.organizationId, "member.removed from acme");
        BatchState.Member joined = moved.changes().insertedMembers.iterator().next();
        assertEquals(LABS, joined.organizationId);
        assertEquals("owner", joined.role);
        assertEquals(List.of(new BatchChanges.TeamMember(everyone, account.id, NOW)), moved.changes().deletedTeamMembers);
        assertEquals(1, moved.changes().insertedTeamMembers.size(), "joins labs/research");
        assertEquals(0, state.organizationsById.get(ACME).memberCount);
        assertEquals(1, state.organizationsById.get(LABS).memberCount);
    }

    @Test
    void aTeamChangeWithinTheOrganizationMovesTheTeamPlaceOnly() {
        BatchState.Account account = scimAccount("team-mover@x.test", "scim");
        UUID everyone = UUID.randomUUID();
        state.team(new BatchState.Team(everyone, ACME, "everyone"));
        state.teamMember(everyone, ACME, account.id, false);

        UserCommandBatch.Result result = apply(replace(account, true, new Placement(null, "acme", "platform")));

        assertTrue(result.changes().deletedMembers.isEmpty() && result.changes().insertedMembers.isEmpty());
        assertEquals(List.of(new BatchChanges.TeamMember(everyone, account.id, NOW)), result.changes().deletedTeamMembers);
        assertEquals("platform", result.changes().insertedTeams.get(0).name());
        assertEquals(result.changes().insertedTeams.get(0).id(), result.changes().insertedTeamMembers.get(0).teamId());
    }

    @Test
    void theGuardAppliesDeactivationsUpToItsThresholdAndHoldsTheRestAnsweringAsAsked() {
        // 100 active SCIM members, 10 % at most 50: 10 deactivations pass in the window.
        state.guard(CONNECTION, new BatchState.Guard(true, 10, 50, 5, 100, 0, 0));
        List<UserCommand> leavers = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            BatchState.Account account = scimAccount("leaver" + i + "@x.test", "scim");
            leavers.add(replace(account, false, null));
        }
        UserCommand removal = UserCommand.delete(CONNECTION.toString(),
                scimAccount("removed@x.test", "scim").id.toString(), null, null);
        List<UserCommand> commands = new java.util.ArrayList<>(leavers);
        commands.add(removal);

        UserCommandBatch.Result result = apply(commands.toArray(UserCommand[]::new));

        for (int i = 0; i < 10; i++) {
            assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(i).status(), "deactivation " + i);
        }
        for (int i = 10; i < 13; i++) {
            CommandOutcome held = result.outcomes().get(i);
            assertEquals(CommandOutcome.Status.HELD, held.status(), "change " + i);
        }
        assertEquals(false, result.outcomes().get(10).user().profile().active(), "answered as the IdP asked");
        assertTrue(result.outcomes().get(12).deleted(), "a held removal answers as a removal");
        assertEquals(10, result.changes().deprovisionings.size());
        assertEquals(List.of("deactivate", "deactivate", "remove"),
                result.changes().heldChanges.stream().map(BatchChanges.HeldChange::kind).toList());
        assertEquals(10, result.changes().updatedMembers.size(), "held users keep their membership");
        assertTrue(result.changes().deletedAccounts.isEmpty());
        assertTrue(result.changes().errors.isEmpty(), "a held change is no provisioning error");
    }

    @Test
    void aSmallConnectionsOrdinaryOffBoardingIsNotHeld() {
        // 8 members: 10 % would hold the first deactivation; the floor of 5 lets five through.
        state.guard(CONNECTION, new BatchState.Guard(true, 10, 50, 5, 8, 0, 0));
        List<UserCommand> leavers = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            leavers.add(replace(scimAccount("small" + i + "@x.test", "scim"), false, null));
        }

        UserCommandBatch.Result result = apply(leavers.toArray(UserCommand[]::new));

        assertEquals(List.of(CommandOutcome.Status.APPLIED, CommandOutcome.Status.APPLIED,
                CommandOutcome.Status.APPLIED, CommandOutcome.Status.APPLIED, CommandOutcome.Status.APPLIED,
                CommandOutcome.Status.HELD), result.outcomes().stream().map(CommandOutcome::status).toList());
    }

    @Test
    void anOptedOutConnectionAndAReactivationAreNeverHeld() {
        state.guard(CONNECTION, new BatchState.Guard(false, 10, 0, 0, 100, 0, 0));
        BatchState.Account account = scimAccount("free@x.test", "scim");

        assertEquals(CommandOutcome.Status.APPLIED, apply(replace(account, false, null)).outcomes().get(0).status());
    }

    @Test
    void anApprovedHoldIsAppliedOnceAndALaterChangeOfTheUserSupersedesIt() {
        BatchState.Account approved = scimAccount("approved@x.test", "scim");
        BatchState.Account changed = scimAccount("changed@x.test", "scim");
        UUID approvedHold = UUID.randomUUID();
        UUID changedHold = UUID.randomUUID();
        state.pendingHold(new BatchState.PendingHold(approvedHold, approved.id, approved.version,
                MemberTransition.DEACTIVATE));
        state.pendingHold(new BatchState.PendingHold(changedHold, changed.id, changed.version,
                MemberTransition.DEACTIVATE));
        state.guard(CONNECTION, new BatchState.Guard(true, 10, 50, 5, 2, 0, 2));

        UserCommandBatch.Result result = new UserCommandBatch(List.of(
                new UserCommandBatch.Pending(UserCommand.replace(CONNECTION.toString(), approved.id.toString(),
                        profile(approved.userName, false, null), null, null), null, approvedHold),
                new UserCommandBatch.Pending(replace(changed, true, new Placement("owner", null, null)), null)), NOW)
                .apply(state);

        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(0).status());
        assertEquals(false, approved.active, "the approved deactivation is applied");
        assertEquals(List.of(new BatchChanges.DecidedHold(approvedHold, "approved", NOW,
                        result.outcomes().get(0).commandId()),
                new BatchChanges.DecidedHold(changedHold, "superseded", NOW, null)), result.changes().decidedHolds,
                "an approval's decision names the command whose outcome it publishes; the IdP's names none");

        UserCommandBatch.Result again = new UserCommandBatch(List.of(new UserCommandBatch.Pending(
                UserCommand.replace(CONNECTION.toString(), approved.id.toString(), profile(approved.userName, false,
                        null), null, null), null, approvedHold)), NOW).apply(state);
        assertEquals(Reason.NOT_FOUND, again.outcomes().get(0).failure().reason(), "decided already: nothing applied");
        assertTrue(again.changes().decidedHolds.isEmpty() && again.changes().updatedAccounts.isEmpty());
    }

    @Test
    void staleVersionsUnmanagedUsersAndStrangersAreRefusedWithTheirReason() {
        BatchState.Account scim = scimAccount("s@x.test", "scim");
        BatchState.Account jit = scimAccount("j@x.test", "jit");
        UserCommand stale = UserCommand.replace(CONNECTION.toString(), scim.id.toString(),
                profile("s@x.test", true, null), 7L, null);
        UserCommand unmanaged = UserCommand.delete(CONNECTION.toString(), jit.id.toString(), null, null);
        UserCommand stranger = UserCommand.delete(CONNECTION.toString(), UUID.randomUUID().toString(), null, null);
        UserCommand jitByCreate = create("J@x.test");

        UserCommandBatch.Result result = apply(stale, unmanaged, stranger, jitByCreate);

        assertEquals(List.of(Reason.VERSION_MISMATCH, Reason.NOT_MANAGED, Reason.NOT_FOUND, Reason.NOT_MANAGED),
                result.outcomes().stream().map(o -> o.failure().reason()).toList());
        assertTrue(result.changes().deletedAccounts.isEmpty() && result.changes().updatedAccounts.isEmpty());
        assertEquals(4, result.changes().errors.size());
    }

    @Test
    void afterTheMigrationACreateAdoptsTheJitAccountWithItsIdAndMemberships() {
        state.connection(new BatchState.Connection(CONNECTION, "acme-sso", true, true, null,
                new Placements.ConnectionDefaults("acme-sso", "acme", null, Role.MEMBER, Set.of("acme"))));
        BatchState.Account jit = scimAccount("jit@x.test", "jit");
        // An admin's invitation to labs, accepted at a sign-in: the admin's, which no adoption takes over.
        BatchState.Member invited = new BatchState.Member(jit.id, LABS, "editor", "active", "invite", null, NOW);
        state.member(invited);
        // A team its sign-ins put it in: SCIM's now, and the create places it as any SCIM create does.
        UUID backend = UUID.randomUUID();
        state.team(new BatchState.Team(backend, ACME, "backend"));
        state.teamMember(backend, ACME, jit.id, true);

        UserCommandBatch.Result result = apply(create("jit@x.test"));

        assertEquals(jit.id.toString(), result.outcomes().get(0).user().id());
        assertEquals("scim", jit.source);
        assertEquals("scim", state.membersByAccount.get(jit.id).get(ACME).source);
        assertTrue(result.changes().insertedAccounts.isEmpty() && result.changes().insertedMembers.isEmpty());
        assertEquals(List.of("invite", "editor", "active"), List.of(invited.source, invited.role, invited.state));
        assertTrue(result.changes().deletedMembers.isEmpty(), "still a member of labs");
        assertEquals(Set.of(jit.id), result.changes().teamPlacesTakenOver);
        assertEquals(List.of(new BatchChanges.TeamMember(backend, jit.id, NOW)), result.changes().deletedTeamMembers);
    }

    /**
     * SCIM and JIT both on, no migration run: a new hire signs in before the IdP's cycle creates them (Entra ID's
     * runs every 40 minutes). The IdP's create adopts that account - refused, the IdP could never de-provision them.
     * A JIT account from before SCIM was switched on waits for the migration; an invited one is the admin's.
     */
    @Test
    void aJitAccountCreatedOnceScimWasOnIsAdoptedWithoutTheMigration() {
        state.connection(new BatchState.Connection(CONNECTION, "acme-sso", true, false, null,
                new Placements.ConnectionDefaults("acme-sso", "acme", null, Role.MEMBER, Set.of("acme")),
                NOW.minusSeconds(3600)));
        BatchState.Account newHire = scimAccount("new-hire@x.test", "jit");
        BatchState.Account before = new BatchState.Account(UUID.randomUUID(), CONNECTION, "before@x.test", null, true,
                "jit", ContractJson.mapper().createObjectNode(), 1, NOW.minusSeconds(7200), NOW, null);
        state.account(before);
        BatchState.Account invited = scimAccount("invited@x.test", "invite");

        UserCommandBatch.Result result = apply(create("new-hire@x.test"), create("before@x.test"),
                create("invited@x.test"));

        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(0).status());
        assertEquals(newHire.id.toString(), result.outcomes().get(0).user().id(), "the account, adopted");
        assertEquals("scim", newHire.source);
        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(1).failure().reason());
        assertTrue(result.outcomes().get(1).failure().detail().contains("before SCIM was switched on"),
                result.outcomes().get(1).failure().detail());
        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(2).failure().reason());
        assertTrue(result.outcomes().get(2).failure().detail().contains("an admin invited or added by hand (source "
                + "invite)"), result.outcomes().get(2).failure().detail());
        assertEquals("jit", before.source);
        assertEquals("invite", invited.source);
    }

    @Test
    void aMemberAddedByHandIsNeverTakenOverAndAnUnlinkedOrganizationIsRefused() {
        state.manualMember("acme", "Boss@x.test");
        UserCommand unlinked = UserCommand.create(CONNECTION.toString(),
                profile("new@x.test", true, new Placement(null, "elsewhere", null)), null);

        UserCommandBatch.Result result = apply(create("boss@x.test"), unlinked);

        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(0).failure().reason());
        assertEquals(Reason.INVALID_VALUE, result.outcomes().get(1).failure().reason());
        assertTrue(result.changes().insertedAccounts.isEmpty());
    }

    @Test
    void aRenameOrAMoveBesideAMemberAddedByHandIsRefusedAsACreateIsButADeactivationIsNot() {
        state.manualMember("acme", "Boss@x.test");
        state.manualMember("acme", "Cfo@x.test");
        state.manualMember("labs", "Lab-Hand@x.test");
        state.manualMember("acme", "Twin@x.test");
        BatchState.Account renamed = scimAccount("someone@x.test", "scim");
        BatchState.Account moved = scimAccount("lab-hand@x.test", "scim");
        BatchState.Account leaving = scimAccount("leaving@x.test", "scim");
        // Beside a member added by hand from before the rule: its updates go on (refusing them would strand it).
        BatchState.Account twin = scimAccount("twin@x.test", "scim");

        UserCommandBatch.Result result = apply(
                UserCommand.replace(CONNECTION.toString(), renamed.id.toString(), profile("BOSS@x.test", true, null),
                        renamed.version, null),
                replace(moved, true, new Placement(null, "labs", null)),
                UserCommand.replace(CONNECTION.toString(), leaving.id.toString(), profile("cfo@x.test", false, null),
                        leaving.version, null),
                replace(twin, true, null));

        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(0).failure().reason());
        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(1).failure().reason());
        assertEquals("someone@x.test", renamed.userName);
        assertEquals(Set.of(ACME), state.membersByAccount.get(moved.id).keySet(), "not moved into labs");
        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(2).status(), "a deactivation takes access");
        assertFalse(leaving.active);
        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(3).status());
    }

    @Test
    void aMemberThroughAnotherConnectionIsOnePersonButTheConnectionsOwnAccountsAreNotOthers() {
        UUID okta = UUID.randomUUID();
        state.otherMember(new BatchState.OtherMember("acme", "Dual@x.test", okta, "acme-okta", "jit"));
        state.otherMember(new BatchState.OtherMember("acme", "mine@x.test", CONNECTION, "acme-sso", "scim"));
        BatchState.Account renamed = scimAccount("someone@x.test", "scim");

        UserCommandBatch.Result result = apply(create("dual@X.test"),
                UserCommand.replace(CONNECTION.toString(), renamed.id.toString(), profile("DUAL@x.test", true, null),
                        renamed.version, null),
                create("other@x.test"));

        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(0).failure().reason());
        assertEquals("'dual@X.test' is a member of organization acme through connection acme-okta (source jit); one "
                + "person is one member of an organization - remove that member, or unassign the user from "
                + "acme-okta's IdP, first", result.outcomes().get(0).failure().detail());
        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(1).failure().reason());
        assertEquals("someone@x.test", renamed.userName);
        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(2).status());
        assertEquals(Optional.empty(), state.otherMember("acme", "mine@x.test", CONNECTION),
                "the connection's own account is not another member");
        assertEquals(1, result.changes().insertedAccounts.size());
    }

    @Test
    void aConnectionMigratingFromAnotherAdoptsItsActiveAccountsButNotTheDeactivatedOnesNorOthers() {
        UUID okta = UUID.randomUUID();
        state.connection(new BatchState.Connection(CONNECTION, "acme-sso", true, false, okta,
                new Placements.ConnectionDefaults("acme-sso", "acme", null, Role.MEMBER, Set.of("acme", "labs"))));
        BatchState.Account moving = oktaAccount(okta, "Moving@x.test", true, ACME, "acme");
        BatchState.Account leaver = oktaAccount(okta, "leaver@x.test", false, ACME, "acme");
        BatchState.Account elsewhere = oktaAccount(okta, "labs-only@x.test", true, LABS, "labs");
        // Also a member of globex, which acme-sso does not serve: its IdP would then rule over globex's access.
        BatchState.Account sharedTenant = oktaAccount(okta, "shared@x.test", true, ACME, "acme");
        state.otherMember(new BatchState.OtherMember("globex", "shared@x.test", okta, "acme-okta", "scim"));
        UUID thirdConnection = UUID.randomUUID();
        state.otherMember(new BatchState.OtherMember("acme", "third@x.test", thirdConnection, "acme-google", "scim"));
        state.manualMember("acme", "boss@x.test");
        // The old IdP's deactivation of the moving member, held by its guard: stale once the new IdP adopts them.
        UUID held = UUID.randomUUID();
        state.pendingHold(new BatchState.PendingHold(held, moving.id, moving.version,
                MemberTransition.DEACTIVATE));
        BatchState.Guard oldGuard = new BatchState.Guard(true, 10, 50, 5, 100, 0, 1);
        BatchState.Guard newGuard = new BatchState.Guard(true, 10, 50, 5, 100, 0, 2);
        state.guard(okta, oldGuard);
        state.guard(CONNECTION, newGuard);

        UserCommandBatch.Result result = apply(create("moving@X.test"), create("leaver@x.test"),
                create("third@x.test"), create("boss@x.test"), create("labs-only@x.test"), create("shared@x.test"));

        assertEquals(moving.id.toString(), result.outcomes().get(0).user().id(), "the same member id");
        assertEquals(CONNECTION, moving.connectionId);
        assertEquals(okta, moving.readConnectionId, "written only while it is still okta's");
        assertEquals("moving@X.test", moving.userName, "the new IdP's profile");
        assertEquals("scim", moving.source);
        assertEquals(Set.of(moving), Set.copyOf(result.changes().updatedAccounts));
        assertEquals(List.of(new BatchChanges.DecidedHold(held, "superseded", NOW, null)), result.changes().decidedHolds);
        assertEquals(0, oldGuard.pending, "the hold was the old connection's guard's");
        assertEquals(2, newGuard.pending);
        assertEquals(List.of("labs-only@x.test"), result.changes().insertedAccounts.stream().map(a -> a.userName)
                .toList(), "no second account for the adopted member");
        assertEquals(Optional.empty(), state.otherMember("acme", "moving@x.test", CONNECTION),
                "no longer another connection's member");
        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(1).failure().reason());
        assertEquals("'leaver@x.test' was deactivated by the IdP of the connection this one migrates from; a "
                + "migration adopts active members only - re-activate the user there, or remove the member by hand, "
                + "first", result.outcomes().get(1).failure().detail());
        assertEquals(okta, leaver.connectionId);
        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(2).failure().reason(), "only the named connection's");
        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(3).failure().reason(), "never one added by hand");
        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(4).status());
        assertEquals(okta, elsewhere.connectionId, "a member of another organization than the create's is not "
                + "taken from it: the create makes a new account, as without the migration");
        assertEquals(Reason.NOT_MANAGED, result.outcomes().get(5).failure().reason());
        assertEquals(okta, sharedTenant.connectionId);
        assertEquals(Set.of("moving@x.test", "leaver@x.test"), new UserCommandBatch(List.of(
                        pending(create("moving@x.test")), pending(create("leaver@x.test"))), NOW)
                        .reads(state).userNamesByConnection().get(okta), "a create reads the account it may adopt");
    }

    private BatchState.Account oktaAccount(UUID okta, String userName, boolean active, UUID organizationId,
            String organization) {
        BatchState.Account account = new BatchState.Account(UUID.randomUUID(), okta, userName, null, active, "scim",
                ContractJson.mapper().createObjectNode(), 3, NOW, NOW, active ? null : NOW);
        state.account(account);
        state.member(new BatchState.Member(account.id, organizationId, "editor", active ? "active" : "deactivated",
                "scim", "editor", NOW));
        state.otherMember(new BatchState.OtherMember(organization, userName, okta, "acme-okta", "scim"));
        return account;
    }

    @Test
    void removeFreesTheUserNameForALaterCommandOfTheBatch() {
        BatchState.Account gone = scimAccount("reuse@x.test", "scim");
        UserCommand delete = UserCommand.delete(CONNECTION.toString(), gone.id.toString(), null, null);

        UserCommandBatch.Result result = apply(delete, create("reuse@x.test"));

        assertTrue(result.outcomes().get(0).deleted());
        assertEquals(CommandOutcome.Status.APPLIED, result.outcomes().get(1).status());
        assertEquals(List.of(new BatchChanges.DeletedAccount(gone.id, CONNECTION, "reuse@x.test", NOW)),
                result.changes().deletedAccounts, "the deleted userName is remembered, for sign-ins to refuse");
    }

    @Test
    void anAccountKeepsTheTimeTheIdpDeactivatedItUntilReactivated() {
        BatchState.Account account = scimAccount("leaver@x.test", "scim");
        Instant later = NOW.plusSeconds(60);

        new UserCommandBatch(List.of(pending(replace(account, false))), NOW).apply(state);
        assertEquals(NOW, account.deactivatedAt);
        new UserCommandBatch(List.of(pending(replace(account, false))), later).apply(state);
        assertEquals(NOW, account.deactivatedAt, "a profile update of a deactivated user is no new deactivation");
        new UserCommandBatch(List.of(pending(replace(account, true))), later).apply(state);
        assertNull(account.deactivatedAt);

        UserCommand createdInactive = UserCommand.create(CONNECTION.toString(), profile("new@x.test", false, null), null);
        BatchChanges changes = apply(createdInactive).changes();
        assertEquals(NOW, changes.insertedAccounts.iterator().next().deactivatedAt);
    }

    private static UserCommand replace(BatchState.Account account, boolean active) {
        return UserCommand.replace(CONNECTION.toString(), account.id.toString(), profile(account.userName, active, null),
                null, null);
    }

    @Test
    void aPollIsCutWhereAUserIsNamedAgain() {
        UUID id = UUID.randomUUID();
        UserCommand a = create("a@x.test");
        UserCommand b = create("b@x.test");
        UserCommand replace = UserCommand.replace(CONNECTION.toString(), id.toString(), profile("c@x.test", true, null),
                null, null);
        UserCommand aAgain = create("A@x.test");
        UserCommand delete = UserCommand.delete(CONNECTION.toString(), id.toString(), null, null);
        UserCommand otherConnection = UserCommand.create(UUID.randomUUID().toString(), profile("a@x.test", true, null),
                null);

        List<List<UserCommandBatch.Pending>> batches = UserCommandBatch.split(
                List.of(a, b, replace, aAgain, delete, otherConnection).stream().map(UserCommandBatchTest::pending)
                        .toList());

        assertEquals(List.of(List.of(a, b, replace), List.of(aAgain, delete, otherConnection)),
                batches.stream().map(batch -> batch.stream().map(UserCommandBatch.Pending::command).toList()).toList());
    }

    @Test
    void eachChangedAccountCarriesTheTraceOfItsCommand() {
        UserCommand create = create("traced@x.test");

        UserCommandBatch.Result result = new UserCommandBatch(List.of(new UserCommandBatch.Pending(create,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")), NOW).apply(state);

        UUID id = UUID.fromString(result.outcomes().get(0).user().id());
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", result.changes().traces.get(id));
    }
}
