package dev.scimsync.membership.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An admin token scoped to one organization; only the SHA-256 of its secret is kept. */
@Entity
@Table(name = "scoped_admin_token")
public class ScopedAdminTokenEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "organization_id")
    public UUID organizationId;

    public String label;

    @Column(name = "secret_hash")
    public byte[] secretHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Null for a token issued before tokens expired (V31): it never does. */
    @Column(name = "expires_at")
    public Instant expiresAt;
}
