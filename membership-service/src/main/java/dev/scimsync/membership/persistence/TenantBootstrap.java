package dev.scimsync.membership.persistence;

import dev.scimsync.contracts.ScimTokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the first organization, connection (SCIM enabled) and SCIM token from configuration
 * ({@code BOOTSTRAP_ORGANIZATION}, {@code BOOTSTRAP_CONNECTION}, {@code BOOTSTRAP_SCIM_TOKEN}), so a new
 * installation can be pointed at by an IdP before any admin call. Idempotent, and safe with several
 * replicas starting at once: every insert skips rows that exist.
 */
@ApplicationScoped
public class TenantBootstrap {

    private static final Logger LOG = Logger.getLogger(TenantBootstrap.class);

    @ConfigProperty(name = "bootstrap.organization")
    Optional<String> organization;

    @ConfigProperty(name = "bootstrap.connection")
    Optional<String> connection;

    @ConfigProperty(name = "bootstrap.scim-token")
    Optional<String> scimToken;

    /** The mass-deprovisioning guard of the connection, when it is created (docs/admin-guide.md). */
    @ConfigProperty(name = "bootstrap.guard-enabled", defaultValue = "true")
    boolean guardEnabled;

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (organization.isEmpty() || connection.isEmpty()) {
            return;
        }
        Optional<ScimTokens.PresentedToken> token = scimToken.map(value -> ScimTokens.parse(value)
                .orElseThrow(() -> new IllegalArgumentException("bootstrap.scim-token is not a scim_<id>_<secret> token")));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> ensure(token)));
        LOG.infof("bootstrap organization '%s' and connection '%s' are in place", organization.get(), connection.get());
    }

    private Uni<Void> ensure(Optional<ScimTokens.PresentedToken> token) {
        Uni<Integer> tenant = update("insert into organization (id, name) values (?1, ?2) on conflict (name) do nothing",
                UUID.randomUUID(), organization.get())
                .chain(() -> update("""
                        insert into connection (id, name, default_organization_id, scim_enabled, jit_enabled,
                                                guard_enabled, scim_enabled_since)
                        select ?1, ?2, o.id, true, true, ?4, now() from organization o where o.name = ?3
                        on conflict (name) do nothing""", UUID.randomUUID(), connection.get(), organization.get(),
                        guardEnabled))
                .chain(() -> update("""
                        insert into connection_organization (connection_id, organization_id)
                        select c.id, c.default_organization_id from connection c where c.name = ?1
                        on conflict do nothing""", connection.get()));
        if (token.isEmpty()) {
            return tenant.replaceWithVoid();
        }
        byte[] salt = ScimTokens.newSalt();
        return tenant.chain(() -> update("""
                        insert into scim_token (id, connection_id, salt, secret_hash)
                        select ?1, c.id, ?2, ?3 from connection c where c.name = ?4
                        on conflict (id) do nothing""", token.get().id(), salt,
                        ScimTokens.hash(salt, token.get().secret()), connection.get()))
                .replaceWithVoid();
    }

    private static Uni<Integer> update(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.executeUpdate();
        });
    }
}
