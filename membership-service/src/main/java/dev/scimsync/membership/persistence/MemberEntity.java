package dev.scimsync.membership.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** An account's membership of one organization, with its role, state and source. */
@Entity
@Table(name = "member")
public class MemberEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "account_id") UUID accountId,
                      @Column(name = "organization_id") UUID organizationId) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    public String role;

    public String state;

    public String source;

    /** The role the IdP's attributes give a SCIM member (its groups may give a higher one); null for the others. */
    @Column(name = "attribute_role")
    public String attributeRole;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The organization's memberships of that address, whatever account holds it (any case, as {@code lower()}). */
    public static PanacheQuery<MemberEntity> ofAddress(UUID organizationId, String email) {
        return find("key.organizationId = ?1 and key.accountId in (select a.id from AccountEntity a "
                + "where lower(a.userName) = lower(?2))", organizationId, email);
    }
}
