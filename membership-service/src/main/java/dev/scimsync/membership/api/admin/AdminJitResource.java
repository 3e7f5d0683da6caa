package dev.scimsync.membership.api.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.GroupNames;
import dev.scimsync.membership.domain.MemberSource;
import dev.scimsync.membership.domain.MemberState;
import dev.scimsync.membership.domain.Placements;
import dev.scimsync.membership.domain.Role;
import dev.scimsync.membership.domain.SignInRefusal;
import dev.scimsync.membership.persistence.AccountEntity;
import dev.scimsync.membership.persistence.ConnectionEntity;
import dev.scimsync.membership.persistence.InvitationEntity;
import dev.scimsync.membership.persistence.MemberEntity;
import dev.scimsync.membership.persistence.Memberships;
import dev.scimsync.membership.persistence.OrganizationEntity;
import dev.scimsync.membership.persistence.ProvisioningErrorEntity;
import dev.scimsync.membership.persistence.ScimRemovalEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Admin API: Just-in-Time provisioning at sign-in, the JIT-to-SCIM migration, and the connection's
 * provisioning errors.
 */
@Path("/internal/v1/admin/connections/{name}")
public class AdminJitResource {

    public record SignIn(String email, String givenName, String familyName, List<String> groups,
            Map<String, Object> attributes) {
    }

    public record SignInResult(String access, String accountId, List<String> organizations, List<String> ignoredGroups) {
    }

    public record MigrationRequest(Boolean dryRun) {
    }

    public record NotAdoptable(String email, String reason) {
    }

    public record MigrationReport(boolean dryRun, boolean adoptionEnabled, List<String> adoptable,
            List<NotAdoptable> notAdoptable) {
    }

    public record ProvisioningError(Instant occurredAt, String operation, String userName, String requestId,
            String reason, String detail, String suggestedFix) {
    }

    private final Memberships memberships;

    public AdminJitResource(Memberships memberships) {
        this.memberships = memberships;
    }

    /**
     * The SSO layer calls this at each sign-in. A user SCIM deactivated or removed is refused first, before any
     * invitation is accepted or anyone placed, and the refusal is kept as a provisioning error. JIT on: the
     * account is found by email or created, placed by the sign-in's {@code organization:team} groups, else in
     * the default organization and team if not yet a member; a role in the sign-in's attributes wins over what
     * SCIM set. JIT off: only active members may sign in.
     */
    @POST
    @Path("/sign-ins")
    @WithTransaction
    public Uni<Response> signIn(@PathParam("name") String name, SignIn request) {
        if (request == null || request.email() == null || !request.email().contains("@")) {
            return AdminErrors.uni(400, "'email' is required");
        }
        return AdminLookups.withConnection(name, connection -> AccountEntity.findByUserName(connection.id, request.email())
                .chain(account -> refusal(connection, account, request.email()).chain(refused -> refused.isPresent()
                        ? refuse(connection, request.email(), refused.get())
                        : acceptInvitations(connection, account, request)
                                .chain(invitee -> connection.jitEnabled ? jit(connection, invitee, request)
                                        : existingMemberOnly(connection, invitee, request)))))
                .onFailure(Memberships.NoSeats.class).recoverWithItem(full -> AdminErrors.response(409, full.getMessage()));
    }

    /** Whether SCIM took the user's access away: the account deactivated, or (with none) the userName removed. */
    private static Uni<Optional<SignInRefusal>> refusal(ConnectionEntity connection, AccountEntity account,
            String email) {
        if (account != null) {
            return Uni.createFrom().item(SignInRefusal.forAccount(email, account.source, account.active,
                    account.deactivatedAt));
        }
        return ScimRemovalEntity.findByUserName(connection.id, email).map(removal -> SignInRefusal.forRemoval(email,
                removal == null ? null : removal.removedAt));
    }

    /** 403 with the reason; the refusal is listed with the connection's provisioning errors. */
    private static Uni<Response> refuse(ConnectionEntity connection, String email, SignInRefusal refusal) {
        ProvisioningErrorEntity error = new ProvisioningErrorEntity();
        error.id = UUID.randomUUID();
        error.connectionId = connection.id;
        // A sign-in is no command: the error's own id stands in, as for other services' reports.
        error.commandId = error.id;
        error.operation = "sign-in";
        error.userName = email;
        error.reason = refusal.reason();
        error.detail = refusal.detail();
        error.suggestedFix = refusal.suggestedFix();
        error.occurredAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return error.persist().replaceWith(AdminErrors.response(403, refusal.detail()));
    }

    /**
     * Pending invitations to the connection's organizations are accepted at the first sign-in, with JIT on
     * or off; the invitee becomes a member whose source is "invite".
     */
    private Uni<AccountEntity> acceptInvitations(ConnectionEntity connection, AccountEntity account, SignIn request) {
        return memberships.linkedOrganizations(connection.id).chain(linked -> InvitationEntity.<InvitationEntity>list(
                        "lower(email) = lower(?1) and organizationId in (select o.id from OrganizationEntity o "
                                + "where o.name in ?2)", request.email(), linked.isEmpty() ? Set.of("") : linked))
                .chain(invitations -> {
                    if (invitations.isEmpty()) {
                        return Uni.createFrom().item(account);
                    }
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    Uni<AccountEntity> invitee = account != null ? Uni.createFrom().item(account)
                            : newAccount(connection, request, MemberSource.INVITE, now);
                    return invitee.call(user -> {
                        Uni<Void> accepted = Uni.createFrom().voidItem();
                        for (InvitationEntity invitation : invitations) {
                            accepted = accepted.chain(() -> OrganizationEntity.<OrganizationEntity>findById(
                                            invitation.organizationId))
                                    .chain(organization -> memberships.place(user, new Placements.Resolved(
                                            organization.name, null, Role.fromWireName(invitation.role)),
                                            MemberSource.INVITE, now))
                                    .chain(() -> invitation.delete());
                        }
                        return accepted;
                    });
                });
    }

    private Uni<Response> existingMemberOnly(ConnectionEntity connection, AccountEntity account, SignIn request) {
        Uni<List<String>> organizations = account != null ? activeOrganizationsOf(account.id)
                : AccountEntity.<AccountEntity>find("connectionId is null and lower(userName) = lower(?1)", request.email())
                        .firstResult().chain(manual -> manual == null ? Uni.createFrom().item(List.<String>of())
                                : activeOrganizationsOf(manual.id));
        return organizations.chain(names -> memberships.linkedOrganizations(connection.id).map(linked -> {
            List<String> here = names.stream().filter(linked::contains).sorted().toList();
            if (here.isEmpty()) {
                return AdminErrors.response(403, "access denied: " + request.email()
                        + " is not assigned to this organization (JIT provisioning is off for connection "
                        + connection.name + ")");
            }
            return Response.ok(new SignInResult("granted", account == null ? null : account.id.toString(), here,
                    List.of())).build();
        }));
    }

    private Uni<Response> jit(ConnectionEntity connection, AccountEntity existing, SignIn request) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Uni<AccountEntity> account = existing != null ? Uni.createFrom().item(existing)
                : newAccount(connection, request, MemberSource.JIT, now);
        Optional<Role> signInRole = role(request.attributes());
        return account.chain(user -> memberships.defaults(connection).chain(defaults -> {
            List<Placements.Resolved> placements = new ArrayList<>();
            List<String> ignored = new ArrayList<>();
            for (String group : request.groups() == null ? List.<String>of() : request.groups()) {
                Optional<GroupNames.OrganizationTeam> mapped = GroupNames.parse(group)
                        .filter(target -> defaults.linkedOrganizations().contains(target.organization()));
                if (mapped.isPresent()) {
                    placements.add(new Placements.Resolved(mapped.get().organization(), mapped.get().team(),
                            signInRole.orElse(defaults.defaultRole())));
                } else {
                    ignored.add(group);
                }
            }
            MemberSource source = MemberSource.valueOf(user.source.toUpperCase(java.util.Locale.ROOT));
            Uni<Void> placed;
            if (!placements.isEmpty()) {
                placed = Uni.createFrom().voidItem();
                for (Placements.Resolved placement : placements) {
                    placed = placed.chain(() -> memberships.place(user, placement, source, now));
                }
            } else {
                placed = OrganizationEntity.findByName(defaults.defaultOrganization()).chain(organization -> MemberEntity
                        .<MemberEntity>findById(new MemberEntity.Key(user.id, organization.id)).chain(member -> {
                            if (member != null && signInRole.isEmpty()) {
                                return Uni.createFrom().voidItem();
                            }
                            Role role = signInRole.orElse(member != null ? Role.fromWireName(member.role)
                                    : defaults.defaultRole());
                            return memberships.place(user, new Placements.Resolved(defaults.defaultOrganization(),
                                    member != null ? null : defaults.defaultTeam(), role), source, now);
                        }));
            }
            return placed.chain(() -> organizationsOf(user.id)).map(organizations -> Response.ok(new SignInResult(
                    "granted", user.id.toString(), organizations, ignored)).build());
        }));
    }

    /** JIT values win over SCIM's: a role in the sign-in is applied even to a member SCIM placed. */
    private static Optional<Role> role(Map<String, Object> attributes) {
        if (attributes == null) {
            return Optional.empty();
        }
        Object role = attributes.getOrDefault("dockerRole", attributes.get("role"));
        try {
            return role == null ? Optional.empty() : Optional.of(Role.fromWireName(role.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Uni<AccountEntity> newAccount(ConnectionEntity connection, SignIn request, MemberSource source,
            Instant now) {
        ObjectNode attributes = JsonNodeFactory.instance.objectNode();
        ObjectNode personName = attributes.putObject("name");
        if (request.givenName() != null) {
            personName.put("givenName", request.givenName());
        }
        if (request.familyName() != null) {
            personName.put("familyName", request.familyName());
        }
        attributes.putArray("emails").addObject().put("value", request.email().trim()).put("primary", true);
        return AccountEntity.notProvisioned(connection.id, request.email(), source.wireName(), attributes, now).persist();
    }

    /**
     * Reports which JIT members SCIM would adopt (matched by email when the IdP creates them) and which
     * members it never will; with {@code dryRun:false} it turns adoption on.
     */
    @POST
    @Path("/migrations/jit-to-scim")
    @WithTransaction
    public Uni<Response> migrate(@PathParam("name") String name, MigrationRequest request) {
        boolean dryRun = request == null || request.dryRun() == null || request.dryRun();
        return AdminLookups.withConnection(name, connection -> AccountEntity
                .<AccountEntity>list("connectionId = ?1 and source = 'jit' order by userName", connection.id)
                .chain(jit -> memberships.linkedOrganizations(connection.id).chain(linked -> AccountEntity
                        .<AccountEntity>list("connectionId is null and id in (select m.key.accountId from MemberEntity m "
                                + "where m.key.organizationId in (select o.id from OrganizationEntity o where o.name in ?1)) "
                                + "order by userName", linked.isEmpty() ? Set.of("") : linked)
                        .map(manual -> {
                            if (!dryRun) {
                                connection.adoptJit = true;
                            }
                            return Response.ok(new MigrationReport(dryRun, connection.adoptJit,
                                    jit.stream().map(a -> a.userName).toList(),
                                    manual.stream().map(a -> new NotAdoptable(a.userName,
                                            "added by hand: SCIM never adopts manual members; an admin removes them"))
                                            .toList())).build();
                        }))));
    }

    @GET
    @Path("/provisioning-errors")
    @WithSession
    public Uni<Response> provisioningErrors(@PathParam("name") String name) {
        return AdminLookups.withConnection(name, connection -> ProvisioningErrorEntity
                .<ProvisioningErrorEntity>find("connectionId = ?1 order by occurredAt desc", connection.id)
                .range(0, 99).list()
                .map(errors -> Response.ok(errors.stream().map(e -> new ProvisioningError(e.occurredAt, e.operation,
                        e.userName, e.requestId, e.reason, e.detail, e.suggestedFix)).toList()).build()));
    }

    private static Uni<List<String>> organizationsOf(UUID accountId) {
        return OrganizationEntity.<OrganizationEntity>list(
                        "id in (select m.key.organizationId from MemberEntity m where m.key.accountId = ?1) order by name",
                        accountId)
                .map(organizations -> organizations.stream().map(o -> o.name).toList());
    }

    /** The organizations the account may sign in to: a deactivated membership is no access. */
    private static Uni<List<String>> activeOrganizationsOf(UUID accountId) {
        return OrganizationEntity.<OrganizationEntity>list("id in (select m.key.organizationId from MemberEntity m "
                        + "where m.key.accountId = ?1 and m.state = ?2) order by name", accountId,
                        MemberState.ACTIVE.wireName())
                .map(organizations -> organizations.stream().map(o -> o.name).toList());
    }
}
