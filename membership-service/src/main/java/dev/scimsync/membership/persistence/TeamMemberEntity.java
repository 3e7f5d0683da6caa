package dev.scimsync.membership.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "team_member")
public class TeamMemberEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "team_id") UUID teamId, @Column(name = "account_id") UUID accountId)
            implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Made by a JIT sign-in's groups: the IdP's SCIM updates leave it (V33). */
    @Column(name = "placed_at_sign_in")
    public boolean placedAtSignIn;
}
