package dev.scimsync.membership.api;

import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.contracts.internal.DirectTeam;
import dev.scimsync.contracts.internal.Problem;
import dev.scimsync.contracts.internal.ProvisioningErrorReport;
import dev.scimsync.membership.persistence.AccountEntity;
import dev.scimsync.membership.persistence.ConnectionEntity;
import dev.scimsync.membership.persistence.MemberEntity;
import dev.scimsync.membership.persistence.Memberships;
import dev.scimsync.membership.persistence.OrganizationEntity;
import dev.scimsync.membership.persistence.ProvisioningErrorEntity;
import dev.scimsync.membership.persistence.TeamEntity;
import dev.scimsync.membership.persistence.TeamMemberEntity;
import dev.scimsync.runtime.StoredTime;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Internal: what group-sync-service needs from the owner of connections, users and direct team placements
 * - a connection's linked organizations, a place in the connection's
 * provisioning errors, and each team's members placed by attribute, sign-in or by hand.
 */
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DirectoryResource {

    private final Memberships memberships;
    private final Clock clock;

    public DirectoryResource(Memberships memberships, Clock clock) {
        this.memberships = memberships;
        this.clock = clock;
    }

    /** A connection by id or by name. */
    @GET
    @Path("/connections/{connection}")
    @WithSession
    public Uni<Response> connection(@PathParam("connection") String idOrName) {
        Optional<UUID> id = Uuids.parse(idOrName);
        Uni<ConnectionEntity> found = id.isPresent() ? ConnectionEntity.findById(id.get())
                : ConnectionEntity.findByName(idOrName);
        return found.chain(connection -> connection == null
                ? Uni.createFrom().item(notFound("connection " + idOrName + " not found"))
                : memberships.linkedOrganizations(connection.id).map(linked -> Response.ok(new ConnectionSummary(
                        connection.id.toString(), connection.name, connection.scimEnabled,
                        linked.stream().sorted().toList())).build()));
    }

    /** Another service's problem with this connection, shown with the connection's provisioning errors. */
    @POST
    @Path("/connections/{connectionId}/provisioning-errors")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    public Uni<Response> recordError(@PathParam("connectionId") String connectionId, ProvisioningErrorReport report) {
        Optional<UUID> connection = Uuids.parse(connectionId);
        if (connection.isEmpty() || report == null || report.reason() == null || report.detail() == null) {
            return Uni.createFrom().item(Response.status(400).entity(new Problem(400,
                    "a connection id, a reason and a detail are required")).build());
        }
        return ConnectionEntity.<ConnectionEntity>findById(connection.get()).chain(found -> {
            if (found == null) {
                return Uni.createFrom().item(notFound("connection " + connectionId + " not found"));
            }
            ProvisioningErrorEntity error = new ProvisioningErrorEntity();
            error.id = UUID.randomUUID();
            error.connectionId = found.id;
            error.commandId = Uuids.parse(report.commandId()).orElse(error.id);
            error.requestId = report.requestId();
            error.operation = report.operation() == null ? "unknown" : report.operation();
            error.userName = report.subject();
            error.reason = report.reason();
            error.detail = report.detail();
            error.suggestedFix = report.suggestedFix() == null ? "" : report.suggestedFix();
            error.occurredAt = StoredTime.now(clock);
            return error.persist().replaceWith(Response.status(201).build());
        });
    }

    /** The organization's teams and their active members placed directly (not through SCIM groups). */
    @GET
    @Path("/organizations/{organization}/teams")
    @WithSession
    public Uni<Response> teams(@PathParam("organization") String name) {
        return OrganizationEntity.findByName(name).chain(organization -> {
            if (organization == null) {
                return Uni.createFrom().item(notFound("organization " + name + " not found"));
            }
            return TeamEntity.<TeamEntity>list("organizationId = ?1 order by name", organization.id)
                    .chain(teams -> TeamMemberEntity.<TeamMemberEntity>list("key.teamId in ?1",
                                    teams.stream().map(t -> t.id).toList())
                            .chain(placements -> activeMembers(organization, placements).map(members -> {
                                List<DirectTeam> views = new ArrayList<>();
                                for (TeamEntity team : teams) {
                                    List<DirectTeam.Member> inTeam = placements.stream()
                                            .filter(p -> p.key.teamId().equals(team.id))
                                            .map(p -> members.get(p.key.accountId()))
                                            .filter(java.util.Objects::nonNull)
                                            .toList();
                                    views.add(new DirectTeam(team.name, inTeam));
                                }
                                return Response.ok(views).build();
                            })));
        });
    }

    /** Placed accounts that are active members of the organization, by account id. */
    private static Uni<Map<UUID, DirectTeam.Member>> activeMembers(OrganizationEntity organization,
            List<TeamMemberEntity> placements) {
        Set<UUID> accountIds = placements.stream().map(p -> p.key.accountId()).collect(Collectors.toSet());
        if (accountIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return MemberEntity.<MemberEntity>list("key.organizationId = ?1 and key.accountId in ?2 and state = 'active'",
                        organization.id, accountIds)
                .chain(members -> AccountEntity.<AccountEntity>list("id in ?1 and active = true",
                                members.stream().map(m -> m.key.accountId()).toList())
                        .map(accounts -> {
                            Map<UUID, String> sources = members.stream()
                                    .collect(Collectors.toMap(m -> m.key.accountId(), m -> m.source));
                            return accounts.stream().collect(Collectors.toMap(a -> a.id,
                                    a -> new DirectTeam.Member(a.id.toString(), a.userName,
                                            placedBy(sources.get(a.id))),
                                    (a, b) -> a));
                        }));
    }

    /** How a direct placement came about, in the words the team view uses. */
    private static String placedBy(String memberSource) {
        switch (memberSource) {
            case "scim":
                return "attribute";
            case "jit":
                return "sign-in";
            default:
                return memberSource;
        }
    }

    private static Response notFound(String detail) {
        return Response.status(404).type(MediaType.APPLICATION_JSON).entity(new Problem(404, detail)).build();
    }
}
