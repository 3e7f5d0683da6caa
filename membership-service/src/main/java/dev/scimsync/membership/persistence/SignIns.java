package dev.scimsync.membership.persistence;

import dev.scimsync.membership.domain.MemberSource;
import dev.scimsync.membership.domain.MemberState;
import dev.scimsync.membership.domain.Placements;
import dev.scimsync.membership.domain.Role;
import dev.scimsync.membership.domain.SignInAttempt;
import dev.scimsync.membership.domain.SignInOutcome;
import dev.scimsync.membership.domain.SignInRefusal;
import dev.scimsync.membership.domain.SignInRules;
import dev.scimsync.runtime.StoredTime;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Sign-ins the SSO layer reports, inside the caller's transaction. A user SCIM deactivated or removed is refused
 * first, before any invitation is accepted or anyone placed, and the refusal is kept as a provisioning error.
 * Pending invitations are accepted next. JIT on: the account is found by email or created and placed
 * ({@link SignInRules#byGroups}, else {@link SignInRules#byDefault}). JIT off: only active members may sign in
 * ({@link SignInRules#withoutJit}). A person who is already a member of one of the connection's organizations
 * through another account - added by hand, or provisioned or signed in through another connection - signs in as
 * that member either way, and is refused if that member's IdP deactivated them; JIT does not create a person the
 * IdP of another connection of those organizations removed.
 */
@ApplicationScoped
public class SignIns {

    private final Memberships memberships;
    private final Clock clock;

    public SignIns(Memberships memberships, Clock clock) {
        this.memberships = memberships;
        this.clock = clock;
    }

    /** @throws Memberships.NoSeats (as the Uni's failure) when a placement finds the organization full */
    public Uni<SignInOutcome> signIn(ConnectionEntity connection, SignInAttempt attempt) {
        // The connection's organizations, read once: every step below asks within them.
        return memberships.linkedOrganizations(connection.id).chain(linked -> AccountEntity
                .findByUserName(connection.id, attempt.email())
                .chain(account -> whoSignsIn(connection, linked, account, attempt.email()))
                .chain(account -> refusal(connection, account, attempt.email()).chain(refused -> refused.isPresent()
                        ? refuse(connection, attempt.email(), refused.get())
                        : acceptInvitations(connection, linked, account, attempt).chain(invitee -> {
                            if (invitee != null && !connection.id.equals(invitee.connectionId)) {
                                return asThatMember(connection, linked, invitee, attempt);
                            }
                            if (!connection.jitEnabled) {
                                return existingMemberOnly(connection, linked, invitee, attempt)
                                        .chain(outcome -> outcome instanceof SignInOutcome.Denied denied
                                                ? sayingAnExpiredInvitation(denied, linked, attempt.email())
                                                : Uni.createFrom().item(outcome));
                            }
                            if (invitee != null) {
                                return jit(connection, linked, invitee, attempt);
                            }
                            return removedElsewhere(connection, linked, attempt.email()).chain(removed -> removed
                                    .isPresent() ? refuse(connection, attempt.email(), removed.get())
                                    : jit(connection, linked, null, attempt));
                        }))));
    }

    /**
     * The other connections of the sign-in's organizations, as a subquery: parameter {@code connection} is the
     * sign-in's connection, {@code organizations} its organizations' names ({@link #inList}).
     */
    private static String otherConnections(int connection, int organizations) {
        return "(select l.key.connectionId from ConnectionOrganizationEntity l where l.key.connectionId <> ?"
                + connection + " and l.key.organizationId in (select o.id from OrganizationEntity o where o.name in ?"
                + organizations + "))";
    }

    /** The linked organizations as a query's {@code in} list, which may not be empty. */
    private static Set<String> inList(Set<String> linked) {
        return linked.isEmpty() ? Set.of("") : linked;
    }

    /**
     * The account this sign-in is: the connection's own; with none, the member one of its organizations already has
     * with this email - added by hand, or provisioned, signed in or invited through another connection linked to
     * that organization - for this person is that member, not a newcomer for JIT to create a second time. A member
     * that another connection's IdP deactivated there comes first, even before the connection's own account (an
     * organization may list both from before one person was one member): signing in through a second IdP must not
     * undo a de-provisioning. Then the connection's own account, then one added by hand, then the oldest.
     */
    private static Uni<AccountEntity> whoSignsIn(ConnectionEntity connection, Set<String> linked, AccountEntity own,
            String email) {
        Set<String> organizations = inList(linked);
        String member = " and id in (select m.key.accountId from MemberEntity m, OrganizationEntity o "
                + "where o.id = m.key.organizationId and o.name in ?2)";
        // Two look-ups, not one with an "or": each is then served by a userName index.
        Uni<AccountEntity> throughAnother = AccountEntity.<AccountEntity>find("connectionId in "
                        + otherConnections(3, 2) + " and lower(userName) = lower(?1)" + member
                        + " order by active, createdAt",
                email, organizations, connection.id).firstResult();
        Uni<AccountEntity> byHand = AccountEntity.<AccountEntity>find(
                "connectionId is null and lower(userName) = lower(?1)" + member, email, organizations).firstResult();
        return throughAnother.chain(other -> {
            if (other != null && !other.active) {
                return Uni.createFrom().item(other);
            }
            if (own != null) {
                return Uni.createFrom().item(own);
            }
            return byHand.map(manual -> manual != null ? manual : other);
        });
    }

    /**
     * A member added by hand or through another connection signs in as that member, JIT on or off: to the
     * organizations of this connection where they are active members, with their role and teams. The sign-in's
     * groups and role are not applied (its groups are returned as ignored) and it places them nowhere else: JIT's
     * "sign-in values win" is for the accounts this connection's sign-ins create, not for another's members.
     */
    private Uni<SignInOutcome> asThatMember(ConnectionEntity connection, Set<String> linked, AccountEntity account,
            SignInAttempt attempt) {
        return existingMemberOnly(connection, linked, account, attempt).map(outcome -> {
            if (outcome instanceof SignInOutcome.Granted granted && attempt.groups() != null) {
                return new SignInOutcome.Granted(granted.accountId(), granted.organizations(), attempt.groups());
            }
            if (outcome instanceof SignInOutcome.Denied && connection.jitEnabled) {
                return new SignInOutcome.Denied("access denied: " + attempt.email() + " is a member of organizations "
                        + "of connection " + connection.name + " through another account, active in none of them "
                        + "(deactivated there, or waiting for a seat)");
            }
            return outcome;
        });
    }

    /**
     * Whether SCIM took the user's access away: the account deactivated (naming the other connection whose IdP did,
     * when it is another's), or (with none) the userName removed.
     */
    private static Uni<Optional<SignInRefusal>> refusal(ConnectionEntity connection, AccountEntity account,
            String email) {
        if (account != null && (account.active || connection.id.equals(account.connectionId))) {
            return Uni.createFrom().item(SignInRefusal.forAccount(email, account.source, account.active,
                    account.deactivatedAt, null));
        }
        if (account != null) {
            return ConnectionEntity.<ConnectionEntity>findById(account.connectionId).map(other -> SignInRefusal
                    .forAccount(email, account.source, account.active, account.deactivatedAt, other.name));
        }
        return ScimRemovalEntity.findByUserName(connection.id, email).map(removal -> SignInRefusal.forRemoval(email,
                removal == null ? null : removal.removedAt));
    }

    /**
     * Before JIT creates a person: whether the IdP of another connection of the same organizations SCIM removed that
     * userName (the latest such removal). A second IdP's sign-in must not undo a de-provisioning, as for a
     * deactivation ({@link #whoSignsIn}); an invitation, an admin's own act, is still accepted.
     */
    private static Uni<Optional<SignInRefusal>> removedElsewhere(ConnectionEntity connection, Set<String> linked,
            String email) {
        return ScimRemovalEntity.<ScimRemovalEntity>find("key.userNameLower = lower(?1) and key.connectionId in "
                        + otherConnections(2, 3) + " order by removedAt desc", email, connection.id, inList(linked))
                .firstResult()
                .chain(removal -> removal == null ? Uni.createFrom().item(Optional.<SignInRefusal>empty())
                        : ConnectionEntity.<ConnectionEntity>findById(removal.key.connectionId()).map(other ->
                                SignInRefusal.forRemoval(email, removal.removedAt, other.name)));
    }

    /** Denied with the reason; the refusal is listed with the connection's provisioning errors. */
    private Uni<SignInOutcome> refuse(ConnectionEntity connection, String email, SignInRefusal refusal) {
        return ProvisioningErrorEntity.signInRefused(connection.id, email, refusal, StoredTime.now(clock))
                .persist().replaceWith(new SignInOutcome.Denied(refusal.detail()));
    }

    /**
     * Pending invitations to the connection's organizations are accepted at the first sign-in, with JIT on
     * or off, until they expire; the invitee becomes a member whose source is "invite".
     */
    private Uni<AccountEntity> acceptInvitations(ConnectionEntity connection, Set<String> linked,
            AccountEntity account, SignInAttempt attempt) {
        Instant now = StoredTime.now(clock);
        return InvitationEntity.<InvitationEntity>list("lower(email) = lower(?1) and organizationId in "
                        + "(select o.id from OrganizationEntity o where o.name in ?2) and expiresAt > ?3",
                        attempt.email(), inList(linked), now)
                .chain(invitations -> {
                    if (invitations.isEmpty()) {
                        return Uni.createFrom().item(account);
                    }
                    Uni<AccountEntity> invitee = account != null ? Uni.createFrom().item(account)
                            : newAccount(connection, attempt, MemberSource.INVITE, now);
                    return invitee.call(user -> {
                        Uni<Void> accepted = Uni.createFrom().voidItem();
                        for (InvitationEntity invitation : invitations) {
                            // An invitation is an admin's own act: it adds back a person an admin removed by hand.
                            accepted = accepted.chain(() -> RemovedByAdminEntity.delete(
                                            "key.accountId = ?1 and key.organizationId = ?2", user.id,
                                            invitation.organizationId))
                                    .chain(() -> OrganizationEntity.<OrganizationEntity>findById(
                                            invitation.organizationId))
                                    .chain(organization -> memberships.place(user, new Placements.Resolved(
                                            organization.name, null, Role.fromWireName(invitation.role)),
                                            MemberSource.INVITE, now, false))
                                    .chain(() -> invitation.delete());
                        }
                        return accepted;
                    });
                });
    }

    /**
     * A sign-in JIT off refuses, of a person whose invitation to one of the connection's organizations expired: the
     * refusal says so, so that the admin invites them again rather than looking for a fault in the IdP.
     */
    private static Uni<SignInOutcome> sayingAnExpiredInvitation(SignInOutcome.Denied denied, Set<String> linked,
            String email) {
        return InvitationEntity.<InvitationEntity>find("lower(email) = lower(?1) and organizationId in "
                        + "(select o.id from OrganizationEntity o where o.name in ?2) order by expiresAt desc",
                        email, inList(linked)).firstResult()
                .chain(expired -> expired == null ? Uni.createFrom().item(denied)
                        : OrganizationEntity.<OrganizationEntity>findById(expired.organizationId).map(organization ->
                                new SignInOutcome.Denied(denied.detail() + "; the invitation to " + organization.name
                                        + " expired on " + expired.expiresAt + ": an admin can invite them again")));
    }

    /** JIT off: the account of the connection or its member through another ({@link #whoSignsIn}), if any. */
    private static Uni<SignInOutcome> existingMemberOnly(ConnectionEntity connection, Set<String> linked,
            AccountEntity account, SignInAttempt attempt) {
        Uni<List<String>> organizations = account != null ? activeOrganizationsOf(account.id)
                : Uni.createFrom().item(List.<String>of());
        return organizations.map(names -> SignInRules.withoutJit(attempt.email(), connection.name,
                account == null ? null : account.id.toString(), names, linked));
    }

    private Uni<SignInOutcome> jit(ConnectionEntity connection, Set<String> linked, AccountEntity existing,
            SignInAttempt attempt) {
        Instant now = StoredTime.now(clock);
        Uni<AccountEntity> account = existing != null ? Uni.createFrom().item(existing)
                : newAccount(connection, attempt, MemberSource.JIT, now);
        Optional<Role> signInRole = SignInRules.role(attempt.attributes());
        return account.chain(user -> memberships.defaults(connection, linked).chain(defaults -> {
            SignInRules.GroupPlacements byGroups = SignInRules.byGroups(attempt.groups(), defaults, signInRole);
            // What the sign-in places is JIT's, whoever made the account: on a SCIM account it was SCIM's, and the
            // IdP's next update of anything (a title) took the person out of the organizations the sign-in's groups
            // had put them in, until the next sign-in put them back. An existing membership keeps its source.
            MemberSource source = MemberSource.JIT;
            // The organizations an admin removed the person from by hand, which this sign-in therefore left alone.
            List<String> removedByAdmin = new ArrayList<>();
            Uni<Void> placed;
            if (!byGroups.placements().isEmpty()) {
                placed = Uni.createFrom().voidItem();
                for (Placements.Resolved placement : byGroups.placements()) {
                    // A group that names no role gives a newcomer the default role; a member keeps theirs.
                    placed = placed.chain(() -> placeUnlessRemoved(user, placement, source, now, signInRole.isEmpty(),
                            removedByAdmin));
                }
            } else {
                placed = OrganizationEntity.findByName(defaults.defaultOrganization())
                        .chain(organization -> MemberEntity.<MemberEntity>findById(
                                new MemberEntity.Key(user.id, organization.id)))
                        .chain(member -> SignInRules.byDefault(defaults, signInRole,
                                        Optional.ofNullable(member).map(m -> Role.fromWireName(m.role)))
                                .map(placement -> placeUnlessRemoved(user, placement, source, now, false,
                                        removedByAdmin))
                                .orElseGet(() -> Uni.createFrom().voidItem()));
            }
            // What the person may open: the active memberships among the connection's organizations, as with JIT
            // off - a membership left deactivated for want of a seat, which this sign-in did not place, is no access.
            return placed.chain(() -> activeOrganizationsOf(user.id))
                    .map(active -> active.stream().filter(linked::contains).toList())
                    .chain(organizations -> organizations.isEmpty()
                    && !removedByAdmin.isEmpty()
                    ? refuse(connection, attempt.email(), SignInRefusal.forAdminRemoval(attempt.email(), removedByAdmin))
                    : Uni.createFrom().item(new SignInOutcome.Granted(user.id.toString(), organizations,
                            byGroups.ignoredGroups())));
        }));
    }

    private Uni<Void> placeUnlessRemoved(AccountEntity account, Placements.Resolved placement, MemberSource source,
            Instant now, boolean keepsRole, List<String> removedByAdmin) {
        return memberships.place(account, placement, source, now, keepsRole).invoke(placedThere -> {
            if (!placedThere) {
                removedByAdmin.add(placement.organization());
            }
        }).replaceWithVoid();
    }

    private static Uni<AccountEntity> newAccount(ConnectionEntity connection, SignInAttempt attempt,
            MemberSource source, Instant now) {
        return AccountEntity.notProvisioned(connection.id, attempt.email(), source.wireName(),
                SignInRules.newAccountAttributes(attempt), now).persist();
    }

    /** The organizations the account may sign in to: a deactivated membership is no access. */
    private static Uni<List<String>> activeOrganizationsOf(UUID accountId) {
        return OrganizationEntity.<OrganizationEntity>list("id in (select m.key.organizationId from MemberEntity m "
                        + "where m.key.accountId = ?1 and m.state = ?2) order by name", accountId,
                        MemberState.ACTIVE.wireName())
                .map(organizations -> organizations.stream().map(o -> o.name).toList());
    }
}
