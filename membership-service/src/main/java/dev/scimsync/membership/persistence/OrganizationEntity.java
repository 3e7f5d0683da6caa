package dev.scimsync.membership.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "organization")
public class OrganizationEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    /** null: no seat limit. */
    public Integer seats;

    /** Seats taken: kept by the member triggers (V9), never written from here. */
    @Column(name = "member_count", insertable = false, updatable = false)
    public int memberCount;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Uni<OrganizationEntity> findByName(String name) {
        return find("name", name).firstResult();
    }
}
