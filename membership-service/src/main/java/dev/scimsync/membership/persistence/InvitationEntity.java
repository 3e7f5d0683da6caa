package dev.scimsync.membership.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An invitation to an organization, waiting for the invitee's first sign-in until it expires. */
@Entity
@Table(name = "invitation")
public class InvitationEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "organization_id")
    public UUID organizationId;

    public String email;

    public String role;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    public boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
