package dev.scimsync.membership.domain;

import dev.scimsync.contracts.CommandFailure;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The memberships SCIM makes, shared by user commands ({@link UserCommandBatch}) and group placements
 * ({@link GroupPlacementBatch}): a SCIM account is a member of an organization while its attribute placement or
 * one of its mapped IdP groups puts it there, with the highest role of the two, in the state the IdP gives it (an
 * active member holds a seat). Changes the batch's state in memory and collects the rows to write.
 */
final class ScimMemberships {

    private final BatchState state;
    private final BatchChanges changes;
    private final Instant now;

    ScimMemberships(BatchState state, BatchChanges changes, Instant now) {
        this.state = state;
        this.changes = changes;
        this.now = now;
    }

    /** The account's SCIM memberships, by organization id. */
    Map<UUID, BatchState.Member> of(BatchState.Account account) {
        return state.membersByAccount.getOrDefault(account.id, Map.of());
    }

    /** The organizations the account's groups place it in, with the role they give. */
    Map<UUID, String> groupRoles(BatchState.Account account) {
        return state.groupRolesByAccount.getOrDefault(account.id, Map.of());
    }

    /**
     * The account becomes a member with these roles (one may be null); false, and nothing changed, when it would
     * take a seat the organization does not have.
     */
    boolean join(BatchState.Account account, BatchState.Organization organization, String attributeRole,
            String groupRole) {
        String memberState = MemberState.of(account.active).wireName();
        if (takesSeat(memberState) && organization.full()) {
            return false;
        }
        BatchState.Member member = new BatchState.Member(account.id, organization.id,
                Role.highest(attributeRole, groupRole), memberState, MemberSource.SCIM.wireName(), attributeRole, now);
        state.member(member);
        changes.insertedMembers.add(member);
        if (takesSeat(memberState)) {
            organization.memberCount++;
        }
        return true;
    }

    /**
     * The account joins an organization a mapped group places it in; the provisioning error that says why not when
     * its email is a member there added by hand or through another connection (the same person would be listed
     * twice, and SCIM does not manage that member) or the organization has no seat for it.
     */
    Optional<BatchChanges.ProvisioningError> joinByGroup(BatchState.Account account,
            BatchState.Organization organization, String groupRole, UUID connectionId, UUID causeId, String requestId) {
        if (account.removedByAdminFrom(organization.id)) {
            return Optional.of(removedByAdmin(account, organization, connectionId, causeId, requestId,
                    "group.placement", "an IdP group places"));
        }
        Optional<BatchState.OtherMember> other = state.otherMember(organization.name, account.userName,
                account.connectionId);
        if (other.isPresent()) {
            return Optional.of(new BatchChanges.ProvisioningError(UUID.randomUUID(), connectionId, causeId, requestId,
                    "group.placement", account.userName, CommandFailure.Reason.NOT_MANAGED.name(),
                    "an IdP group places " + account.userName + " in organization " + organization.name + ", where "
                            + other.get().placementRefusal(account.userName),
                    ProvisioningAdvice.suggestedFix(CommandFailure.Reason.NOT_MANAGED), now));
        }
        return join(account, organization, null, groupRole) ? Optional.empty()
                : Optional.of(seatRefused(connectionId, causeId, requestId, account, organization, now));
    }

    /**
     * The provisioning error that says why the IdP's {@code act} (an update, a group) did not place the account in an
     * organization: an admin removed it from there by hand, which no IdP undoes (V30).
     */
    BatchChanges.ProvisioningError removedByAdmin(BatchState.Account account, BatchState.Organization organization,
            UUID connectionId, UUID causeId, String requestId, String operation, String act) {
        return new BatchChanges.ProvisioningError(UUID.randomUUID(), connectionId, causeId, requestId, operation,
                account.userName, CommandFailure.Reason.NOT_MANAGED.name(),
                act + " " + account.userName + " in organization " + organization.name + ", from which an admin "
                        + "removed them by hand: they stay out of it until an admin adds them back",
                "Add them back to " + organization.name + " by hand if they should be there (the IdP manages them "
                        + "there again), or unassign them from the app in the IdP.", now);
    }

    /**
     * The member takes these roles and the account's state; false when a re-activation finds no seat, in which
     * case it takes the roles but stays deactivated.
     */
    boolean follow(BatchState.Account account, BatchState.Member member, String attributeRole, String groupRole) {
        String memberState = seatedState(account, member);
        boolean seated = memberState.equals(MemberState.of(account.active).wireName());
        String role = Role.highest(attributeRole, groupRole);
        String source = MemberSource.SCIM.wireName();
        if (!role.equals(member.role) || !memberState.equals(member.state) || !source.equals(member.source)
                || !java.util.Objects.equals(attributeRole, member.attributeRole)) {
            member.role = role;
            member.state = memberState;
            member.source = source;
            member.attributeRole = attributeRole;
            changes.updated(member);
        }
        return seated;
    }

    /**
     * A membership SCIM did not make - an invitation the user accepted, a sign-in's groups; its role and source are
     * not SCIM's and stay - takes the account's state all the same: the IdP's deactivation takes access away there
     * too (it was left active, and consumers of the events kept granting it), and its re-activation gives it back.
     * False when a re-activation finds no seat there: the member stays deactivated.
     */
    boolean followState(BatchState.Account account, BatchState.Member member) {
        String memberState = seatedState(account, member);
        if (!memberState.equals(member.state)) {
            member.state = memberState;
            changes.updated(member);
            if (!takesSeat(memberState)) {
                // A deactivated member is in no team, as in the organization SCIM placed it in.
                endTeamPlaces(account, member.organizationId);
            }
        }
        return memberState.equals(MemberState.of(account.active).wireName());
    }

    /**
     * The state the member takes to follow the account's, the organization's seats counted: the account's, or the
     * member's own when a re-activation finds the organization full.
     */
    private String seatedState(BatchState.Account account, BatchState.Member member) {
        String memberState = MemberState.of(account.active).wireName();
        BatchState.Organization organization = state.organizationsById.get(member.organizationId);
        if (holdsSeat(member) == takesSeat(memberState) || organization == null) {
            return memberState;
        }
        if (takesSeat(memberState) && organization.full()) {
            return member.state;
        }
        organization.memberCount += takesSeat(memberState) ? 1 : -1;
        return memberState;
    }

    /** The account leaves an organization SCIM placed it in, and that organization's teams. */
    void leave(BatchState.Account account, BatchState.Member member) {
        state.membersByAccount.get(account.id).remove(member.organizationId);
        freeSeat(member);
        changes.deletedMembers.add(member);
        endTeamPlaces(account, member.organizationId);
    }

    /** The account leaves its teams of that organization. */
    private void endTeamPlaces(BatchState.Account account, UUID organizationId) {
        Map<UUID, UUID> places = teamPlaces(account);
        for (Map.Entry<UUID, UUID> place : List.copyOf(places.entrySet())) {
            if (place.getValue().equals(organizationId)) {
                places.remove(place.getKey());
                changes.deletedTeamMembers.add(new BatchChanges.TeamMember(place.getKey(), account.id, now));
            }
        }
    }

    void freeSeat(BatchState.Member member) {
        BatchState.Organization organization = state.organizationsById.get(member.organizationId);
        if (organization != null && holdsSeat(member)) {
            organization.memberCount--;
        }
    }

    Map<UUID, UUID> teamPlaces(BatchState.Account account) {
        return state.teamPlacesByAccount.computeIfAbsent(account.id, id -> new HashMap<>());
    }

    /** Seats are held by active members only: a member the IdP deactivated frees its seat. */
    static boolean holdsSeat(BatchState.Member member) {
        return takesSeat(member.state);
    }

    private static boolean takesSeat(String memberState) {
        return MemberState.ACTIVE.wireName().equals(memberState);
    }

    /**
     * A re-activation that finds no seat in an organization the user joined by invitation or at a sign-in
     * ({@code source}), for the connection's troubleshooting view.
     */
    static BatchChanges.ProvisioningError notFromScimSeatRefused(UUID connectionId, UUID causeId, String requestId,
            String operation, BatchState.Account account, BatchState.Organization organization, String source,
            Instant at) {
        String joined = MemberSource.INVITE.wireName().equals(source) ? "by invitation" : "at a sign-in";
        return new BatchChanges.ProvisioningError(UUID.randomUUID(), connectionId, causeId, requestId, operation,
                account.userName, CommandFailure.Reason.NO_SEATS.name(),
                "the IdP re-activated " + account.userName + ", who stays deactivated in organization "
                        + organization.name + " (joined " + joined + "): "
                        + SeatLimit.refusal(organization.name, organization.seats),
                ProvisioningAdvice.suggestedFix(CommandFailure.Reason.NO_SEATS)
                        + " They are active there again at the IdP's next update of the user once seats are added.",
                at);
    }

    /** A placement by groups refused for want of seats, for the connection's troubleshooting view. */
    static BatchChanges.ProvisioningError seatRefused(UUID connectionId, UUID causeId, String requestId,
            BatchState.Account account, BatchState.Organization organization, Instant at) {
        return new BatchChanges.ProvisioningError(UUID.randomUUID(), connectionId, causeId, requestId,
                "group.placement", account.userName, CommandFailure.Reason.NO_SEATS.name(),
                "an IdP group places " + account.userName + " in organization " + organization.name + ", but "
                        + SeatLimit.refusal(organization.name, organization.seats),
                ProvisioningAdvice.suggestedFix(CommandFailure.Reason.NO_SEATS)
                        + " The placement is made once seats are added, or at the user's next change.", at);
    }
}
