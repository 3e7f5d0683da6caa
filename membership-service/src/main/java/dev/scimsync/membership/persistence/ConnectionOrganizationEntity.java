package dev.scimsync.membership.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.UUID;

/** An organization a connection may provision into. */
@Entity
@Table(name = "connection_organization")
public class ConnectionOrganizationEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "connection_id") UUID connectionId,
                      @Column(name = "organization_id") UUID organizationId) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    public static ConnectionOrganizationEntity of(UUID connectionId, UUID organizationId) {
        ConnectionOrganizationEntity link = new ConnectionOrganizationEntity();
        link.key = new Key(connectionId, organizationId);
        return link;
    }
}
