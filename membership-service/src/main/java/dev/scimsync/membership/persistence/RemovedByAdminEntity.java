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

/**
 * An organization an admin removed an IdP's account from by hand (V30): neither SCIM, the account's groups nor its
 * sign-ins place it there again until an admin adds it back. The command batches read it with the account
 * ({@link UserCommandStore}); the admin API and sign-ins here.
 */
@Entity
@Table(name = "removed_by_admin")
public class RemovedByAdminEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "account_id") UUID accountId,
                      @Column(name = "organization_id") UUID organizationId) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "removed_at")
    public Instant removedAt;

    public static RemovedByAdminEntity of(UUID accountId, UUID organizationId, Instant at) {
        RemovedByAdminEntity removal = new RemovedByAdminEntity();
        removal.key = new Key(accountId, organizationId);
        removal.removedAt = at;
        return removal;
    }
}
