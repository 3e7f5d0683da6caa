package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.domain.ConnectionMigration;
import dev.scimsync.membership.domain.JitMigration;
import dev.scimsync.membership.persistence.AccountEntity;
import dev.scimsync.membership.persistence.ConnectionEntity;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Admin API: the migration of a connection's organizations from another connection (one IdP to another,
 * {@link ConnectionMigration}). The old connection must share an organization with this one; a name that does not
 * is answered as one that does not exist, so an admin cannot learn other tenants' connections by asking.
 */
@Path("/internal/v1/admin/connections/{name}/migrations/from-connection")
public class AdminConnectionMigrationResource {

    public record MigrationRequest(String from, Boolean dryRun) {
    }

    public record MigrationReport(boolean dryRun, String from, boolean adoptionEnabled, List<String> adoptable,
            List<JitMigration.NotAdoptable> notAdoptable) {
        static MigrationReport of(ConnectionMigration migration) {
            return new MigrationReport(migration.dryRun(), migration.from(), migration.adoptionEnabled(),
                    migration.adoptable(), migration.notAdoptable());
        }
    }

    /**
     * Reports which members of {@code from} this connection's SCIM creates would adopt and which they never will;
     * with {@code dryRun:false} it turns adoption on (from that connection; one at a time).
     */
    @POST
    @WithTransaction
    public Uni<Response> migrate(@PathParam("name") String name, MigrationRequest request) {
        if (request == null || request.from() == null || request.from().isBlank()) {
            return AdminErrors.uni(400, "name the connection to migrate from: {\"from\": \"<connection>\", "
                    + "\"dryRun\": true}");
        }
        return AdminLookups.withConnection(name, connection -> ConnectionEntity.findByName(request.from())
                .chain(from -> from == null || from.id.equals(connection.id) ? notShared(connection, request.from())
                        : sharesAnOrganization(from, connection).chain(shared -> !shared
                                ? notShared(connection, request.from())
                                : AccountEntity.migrationCandidates(from.id, connection.id)
                                        .map(candidates -> report(request, connection, from, candidates)))));
    }

    /** Stops adopting: the old connection's members are refused as another connection's again. */
    @DELETE
    @WithTransaction
    public Uni<Response> stop(@PathParam("name") String name) {
        return AdminLookups.withConnection(name, connection -> {
            connection.adoptFromConnectionId = null;
            return Uni.createFrom().item(Response.noContent().build());
        });
    }

    private static Response report(MigrationRequest request, ConnectionEntity connection, ConnectionEntity from,
            List<ConnectionMigration.Candidate> candidates) {
        ConnectionMigration migration = ConnectionMigration.of(request.dryRun(),
                from.id.equals(connection.adoptFromConnectionId), from.name, connection.name, candidates);
        if (migration.adoptionEnabled()) {
            connection.adoptFromConnectionId = from.id;
        }
        return Response.ok(MigrationReport.of(migration)).build();
    }

    private static Uni<Boolean> sharesAnOrganization(ConnectionEntity from, ConnectionEntity connection) {
        return ConnectionEntity.count("id = ?1 and id in (select l.key.connectionId from ConnectionOrganizationEntity l "
                        + "where l.key.organizationId in (select own.key.organizationId from ConnectionOrganizationEntity "
                        + "own where own.key.connectionId = ?2))", from.id, connection.id)
                .map(count -> count > 0);
    }

    private static Uni<Response> notShared(ConnectionEntity connection, String from) {
        return AdminErrors.uni(404, "connection '" + from + "' is not another connection that shares an "
                + "organization with " + connection.name);
    }
}
