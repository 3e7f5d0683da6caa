package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.domain.JitMigration;
import dev.scimsync.membership.persistence.AccountEntity;
import dev.scimsync.membership.persistence.Memberships;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Admin API: the JIT-to-SCIM migration of a connection ({@link JitMigration}). */
@Path("/internal/v1/admin/connections/{name}/migrations/jit-to-scim")
public class AdminJitMigrationResource {

    public record MigrationRequest(Boolean dryRun) {
    }

    public record NotAdoptable(String email, String reason) {
    }

    public record MigrationReport(boolean dryRun, boolean adoptionEnabled, List<String> adoptable,
            List<NotAdoptable> notAdoptable) {
        static MigrationReport of(JitMigration migration) {
            return new MigrationReport(migration.dryRun(), migration.adoptionEnabled(), migration.adoptable(),
                    migration.notAdoptable().stream().map(n -> new NotAdoptable(n.email(), n.reason())).toList());
        }
    }

    private final Memberships memberships;

    public AdminJitMigrationResource(Memberships memberships) {
        this.memberships = memberships;
    }

    /**
     * Reports which JIT members SCIM would adopt and which members it never will; with {@code dryRun:false} it
     * turns adoption on.
     */
    @POST
    @WithTransaction
    public Uni<Response> migrate(@PathParam("name") String name, MigrationRequest request) {
        return AdminLookups.withConnection(name, connection -> AccountEntity.jitUserNames(connection.id)
                .chain(jit -> memberships.linkedOrganizations(connection.id).chain(AccountEntity::manualUserNamesIn)
                        .map(manual -> {
                            JitMigration migration = JitMigration.of(request == null ? null : request.dryRun(),
                                    connection.adoptJit, jit, manual);
                            connection.adoptJit = migration.adoptionEnabled();
                            return Response.ok(MigrationReport.of(migration)).build();
                        })));
    }
}
