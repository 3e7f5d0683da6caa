package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.persistence.ConnectionEntity;
import dev.scimsync.membership.persistence.OrganizationEntity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.function.Function;

/** The admin API's named resources: found by name, or a 404 that names what is missing; and where a new one is. */
final class AdminLookups {

    private AdminLookups() {
    }

    static Uni<Response> withOrganization(String name, Function<OrganizationEntity, Uni<Response>> next) {
        return OrganizationEntity.findByName(name).chain(organization -> organization == null
                ? AdminErrors.uni(404, "organization '" + name + "' not found") : next.apply(organization));
    }

    static Uni<Response> withConnection(String name, Function<ConnectionEntity, Uni<Response>> next) {
        return ConnectionEntity.findByName(name).chain(connection -> connection == null
                ? AdminErrors.uni(404, "connection '" + name + "' not found") : next.apply(connection));
    }

    /**
     * The absolute URL of what a POST to {@code uri} created: the gateway records its admin path in the audit log
     * (which connection, organization or token was made). A relative Location would be resolved against the
     * application's base, not the request, and lose that path.
     */
    static URI created(UriInfo uri, String segment) {
        return uri.getAbsolutePathBuilder().path(segment).build();
    }
}
