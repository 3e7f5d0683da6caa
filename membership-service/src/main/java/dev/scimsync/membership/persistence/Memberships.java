package dev.scimsync.membership.persistence;

import dev.scimsync.membership.domain.MemberSource;
import dev.scimsync.membership.domain.MemberState;
import dev.scimsync.membership.domain.Placements;
import dev.scimsync.membership.domain.Role;
import dev.scimsync.membership.domain.SeatLimit;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.LockModeType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Organization and team membership, inside the caller's transaction: placing an account, seat limits,
 * teams created on first use.
 */
@ApplicationScoped
public class Memberships {

    /** Thrown (and turned into a rejection) when an organization is full. */
    public static final class NoSeats extends RuntimeException {
        public NoSeats(String organization, int seats) {
            super(SeatLimit.refusal(organization, seats));
        }
    }

    /** @param linked the connection's organizations ({@link #linkedOrganizations}), which the caller has read */
    public Uni<Placements.ConnectionDefaults> defaults(ConnectionEntity connection, Set<String> linked) {
        return OrganizationEntity.<OrganizationEntity>findById(connection.defaultOrganizationId).map(defaultOrganization
                -> new Placements.ConnectionDefaults(connection.name, defaultOrganization.name, connection.defaultTeam,
                        Role.fromWireName(connection.defaultRole), linked));
    }

    public Uni<Set<String>> linkedOrganizations(UUID connectionId) {
        return OrganizationEntity.<OrganizationEntity>find(
                        "id in (select l.key.organizationId from ConnectionOrganizationEntity l where l.key.connectionId = ?1)",
                        connectionId).list()
                .map(organizations -> {
                    Set<String> names = new HashSet<>();
                    organizations.forEach(o -> names.add(o.name));
                    return names;
                });
    }

    /**
     * Makes the account a member of the placement's organization (and team) with its role, creating the
     * membership if needed - which takes a seat, so a full organization refuses it - unless an admin removed the
     * account from that organization by hand (a sign-in does not undo that); true if placed. An existing membership
     * keeps its source (a sign-in's placement does not take SCIM's membership from it), but for an accepted
     * invitation, which makes it the admin's.
     *
     * @param keepsRole whether an existing membership keeps its role: the placement's role is a newcomer's (a
     *                  sign-in's group that names no role gives the connection's default, which would demote an
     *                  owner an admin invited)
     */
    public Uni<Boolean> place(AccountEntity account, Placements.Resolved placement, MemberSource source, Instant now,
            boolean keepsRole) {
        return OrganizationEntity.findByName(placement.organization()).chain(organization -> RemovedByAdminEntity
                .<RemovedByAdminEntity>findById(new RemovedByAdminEntity.Key(account.id, organization.id))
                .chain(removed -> removed != null ? Uni.createFrom().item(false)
                        : placeIn(organization, account, placement, source, now, keepsRole).replaceWith(true)));
    }

    private Uni<Void> placeIn(OrganizationEntity organization, AccountEntity account, Placements.Resolved placement,
            MemberSource source, Instant now, boolean keepsRole) {
        return MemberEntity.<MemberEntity>findById(new MemberEntity.Key(account.id, organization.id))
                .chain(existing -> {
                    if (existing != null) {
                        String state = MemberState.of(account.active).wireName();
                        // A membership left deactivated for want of a seat takes one to become active again.
                        boolean takesSeat = !existing.state.equals(state) && MemberState.ACTIVE.wireName().equals(state);
                        return (takesSeat ? requireSeat(organization) : Uni.createFrom().voidItem()).invoke(() -> {
                            if (!keepsRole) {
                                existing.role = placement.role().wireName();
                            }
                            existing.state = state;
                            if (source == MemberSource.INVITE) {
                                existing.source = source.wireName();
                            }
                        });
                    }
                    return requireSeat(organization).chain(() -> {
                        MemberEntity member = new MemberEntity();
                        member.key = new MemberEntity.Key(account.id, organization.id);
                        member.role = placement.role().wireName();
                        member.state = MemberState.of(account.active).wireName();
                        member.source = source.wireName();
                        member.createdAt = now;
                        return member.persist().replaceWithVoid();
                    });
                })
                .chain(() -> placement.team() == null ? Uni.createFrom().voidItem()
                        : joinTeam(account, organization, placement.team(), now));
    }

    /**
     * Reads the seats taken under the organization's row lock: commands of different connections, and
     * sign-ins, place members concurrently, and two of them must not both take the last seat. The count is the
     * counter the member triggers keep (V9), re-read with the lock.
     */
    public Uni<Void> requireSeat(OrganizationEntity organization) {
        if (organization.seats == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(session -> session.refresh(organization, LockModeType.PESSIMISTIC_WRITE))
                .map(locked -> {
                    if (organization.memberCount >= organization.seats) {
                        throw new NoSeats(organization.name, organization.seats);
                    }
                    return null;
                });
    }

    public Uni<Void> joinTeam(AccountEntity account, OrganizationEntity organization, String teamName, Instant now) {
        return TeamEntity.<TeamEntity>find("organizationId = ?1 and lower(name) = lower(?2)", organization.id, teamName)
                .firstResult()
                .chain(team -> {
                    if (team != null) {
                        return Uni.createFrom().item(team);
                    }
                    TeamEntity created = new TeamEntity();
                    created.id = UUID.randomUUID();
                    created.organizationId = organization.id;
                    created.name = teamName;
                    created.createdAt = now;
                    return created.<TeamEntity>persist();
                })
                .chain(team -> TeamMemberEntity.<TeamMemberEntity>findById(new TeamMemberEntity.Key(team.id, account.id))
                        .chain(existing -> {
                            if (existing != null) {
                                return Uni.createFrom().voidItem();
                            }
                            TeamMemberEntity member = new TeamMemberEntity();
                            member.key = new TeamMemberEntity.Key(team.id, account.id);
                            member.createdAt = now;
                            member.placedAtSignIn = true;
                            return member.persist().replaceWithVoid();
                        }));
    }
}
