package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.persistence.ConnectionEntity;
import dev.scimsync.membership.persistence.OrganizationEntity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.util.function.Function;

/** The admin API's named resources: found by name, or a 404 that names what is missing. */
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
}
