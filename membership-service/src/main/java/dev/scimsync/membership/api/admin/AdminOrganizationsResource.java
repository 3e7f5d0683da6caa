package dev.scimsync.membership.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.membership.messaging.GroupPlacementApplier;
import dev.scimsync.membership.persistence.MemberEntity;
import dev.scimsync.membership.persistence.OrganizationEntity;
import dev.scimsync.membership.persistence.TeamEntity;
import dev.scimsync.runtime.StoredTime;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Admin API (behind the gateway's /admin/v1): organizations. */
@Path("/internal/v1/admin/organizations")
public class AdminOrganizationsResource {

    private final GroupPlacementApplier groupPlacements;
    private final Clock clock;

    public AdminOrganizationsResource(GroupPlacementApplier groupPlacements, Clock clock) {
        this.groupPlacements = groupPlacements;
        this.clock = clock;
    }

    public record NewOrganization(String name, Integer seats) {
    }

    /**
     * {@code members} counts every member listed, {@code seatsUsed} the active ones: a member the IdP deactivated
     * stays listed but holds no seat.
     */
    public record OrganizationView(String id, String name, Integer seats, long members, int seatsUsed,
            List<String> teams) {
    }

    @POST
    @WithTransaction
    public Uni<Response> create(NewOrganization request, @Context UriInfo uri) {
        if (request == null || request.name() == null || !request.name().matches("[a-z0-9][a-z0-9-]{1,62}")) {
            return AdminErrors.uni(400, "'name' is required: 2-63 lower-case letters, digits and dashes");
        }
        if (request.seats() != null && request.seats() < 0) {
            return AdminErrors.uni(400, "'seats' must not be negative");
        }
        return OrganizationEntity.findByName(request.name()).chain(existing -> {
            if (existing != null) {
                return AdminErrors.uni(409, "organization '" + request.name() + "' exists");
            }
            OrganizationEntity organization = new OrganizationEntity();
            organization.id = UUID.randomUUID();
            organization.name = request.name();
            organization.seats = request.seats();
            organization.createdAt = StoredTime.now(clock);
            return organization.persist().replaceWith(Response.created(AdminLookups.created(uri, request.name()))
                    .entity(new OrganizationView(organization.id.toString(), organization.name, organization.seats, 0, 0,
                            List.of())).build());
        });
    }

    /**
     * Changes the seat limit: {@code {"seats": 60}}, or {@code {"seats": null}} for no limit. A limit below the
     * member count removes nobody; it refuses new members until members leave. Commands refused for want of
     * seats succeed when the IdP retries them after this; placements by IdP groups refused for want of seats are
     * made now, as far as the new limit goes (after the limit commits: they lock the organization themselves).
     */
    @PATCH
    @Path("/{name}")
    public Uni<Response> update(@PathParam("name") String name, JsonNode request) {
        JsonNode seatsValue = request == null ? null : request.get("seats");
        if (seatsValue == null || !(seatsValue.isNull() || seatsValue.isInt())) {
            return AdminErrors.uni(400, "send {\"seats\": <number>}, or {\"seats\": null} for no limit");
        }
        Integer seats = seatsValue.isNull() ? null : seatsValue.intValue();
        if (seats != null && seats < 0) {
            return AdminErrors.uni(400, "'seats' must not be negative");
        }
        return Panache.withTransaction(() -> AdminLookups.withOrganization(name, organization -> {
            organization.seats = seats;
            return Uni.createFrom().item(Response.noContent().build());
        })).chain(changed -> changed.getStatus() != 204 ? Uni.createFrom().item(changed)
                : groupPlacements.retryWaitingForSeats(name).chain(() -> Panache.withSession(() -> get(name))));
    }

    /**
     * Every organization with its seats and member count (seat usage at a glance); teams are left out. With
     * {@code organization}, only that one (an empty list if it does not exist): the list an admin scoped to it sees.
     */
    @GET
    @WithSession
    public Uni<Response> list(@QueryParam("organization") String only) {
        Uni<List<OrganizationEntity>> listed = only == null
                ? OrganizationEntity.<OrganizationEntity>list("order by name")
                : OrganizationEntity.<OrganizationEntity>list("name", only);
        return listed.chain(organizations -> MemberEntity
                .getSession().chain(session -> session.createQuery(
                        "select m.key.organizationId, count(m) from MemberEntity m group by m.key.organizationId",
                        Object[].class).getResultList())
                .map(counts -> {
                    java.util.Map<Object, Long> members = new java.util.HashMap<>();
                    counts.forEach(row -> members.put(row[0], (Long) row[1]));
                    return organizations.stream().map(o -> new OrganizationView(o.id.toString(), o.name, o.seats,
                            members.getOrDefault(o.id, 0L), o.memberCount, List.of())).toList();
                }))
                .map(views -> Response.ok(views).build());
    }

    @GET
    @Path("/{name}")
    @WithSession
    public Uni<Response> get(@PathParam("name") String name) {
        return AdminLookups.withOrganization(name, organization -> MemberEntity.count("key.organizationId", organization.id).chain(members -> TeamEntity
                        .<TeamEntity>list("organizationId = ?1 order by name", organization.id)
                        .map(teams -> Response.ok(new OrganizationView(organization.id.toString(), organization.name,
                                organization.seats, members, organization.memberCount, teams.stream().map(t -> t.name).toList())).build())));
    }
}
