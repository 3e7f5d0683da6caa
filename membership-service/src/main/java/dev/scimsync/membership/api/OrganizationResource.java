package dev.scimsync.membership.api;

import dev.scimsync.membership.persistence.MemberEntity;
import dev.scimsync.membership.persistence.OrganizationEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** Internal: organizations, served to the admin API through the gateway. */
@Path("/internal/v1/organizations/{name}")
public class OrganizationResource {

    public record OrganizationView(String id, String name, Integer seats, long members) {
    }

    @GET
    @WithSession
    public Uni<Response> get(@PathParam("name") String name) {
        return OrganizationEntity.findByName(name).flatMap(organization -> organization == null
                ? Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND).build())
                : MemberEntity.count("key.organizationId", organization.id).map(members -> Response.ok(
                        new OrganizationView(organization.id.toString(), organization.name, organization.seats, members))
                        .build()));
    }
}
