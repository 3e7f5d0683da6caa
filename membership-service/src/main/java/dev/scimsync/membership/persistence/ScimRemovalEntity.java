package dev.scimsync.membership.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/**
 * A userName SCIM removed from a connection, refused at sign-in there until SCIM creates it again. Written and
 * cleared by {@link UserCommandStore}; only read here.
 */
@Entity
@Table(name = "scim_removal")
public class ScimRemovalEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "connection_id") UUID connectionId,
                      @Column(name = "user_name_lower") String userNameLower) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "removed_at")
    public Instant removedAt;

    /** The removal of {@code userName} ignoring case (lower-cased by PostgreSQL, as the store writes it), or null. */
    public static Uni<ScimRemovalEntity> findByUserName(UUID connectionId, String userName) {
        return find("key.connectionId = ?1 and key.userNameLower = lower(?2)", connectionId, userName).firstResult();
    }
}
