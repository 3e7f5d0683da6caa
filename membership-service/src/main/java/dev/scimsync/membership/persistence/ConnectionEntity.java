package dev.scimsync.membership.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.UUID;

/** An IdP connection: SCIM tokens belong to it and its users land in its default organization. */
@Entity
@Table(name = "connection")
public class ConnectionEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    @Column(name = "default_organization_id")
    public UUID defaultOrganizationId;

    @Column(name = "default_team")
    public String defaultTeam;

    @Column(name = "default_role")
    public String defaultRole;

    @Column(name = "scim_enabled")
    public boolean scimEnabled;

    /** When SCIM was first switched on (V36): JIT accounts created from then on are SCIM's to adopt. */
    @Column(name = "scim_enabled_since")
    public Instant scimEnabledSince;

    @Column(name = "jit_enabled")
    public boolean jitEnabled;

    /** After a JIT-to-SCIM migration: a SCIM create adopts the JIT account of the same userName. */
    @Column(name = "adopt_jit")
    public boolean adoptJit;

    /**
     * After a connection-to-connection migration: a SCIM create adopts the active account of the same userName that
     * this other connection owns (null: none).
     */
    @Column(name = "adopt_from_connection_id")
    public UUID adoptFromConnectionId;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Uni<ConnectionEntity> findByName(String name) {
        return find("name", name).firstResult();
    }
}
