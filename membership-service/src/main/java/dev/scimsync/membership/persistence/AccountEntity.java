package dev.scimsync.membership.persistence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.UserProfile;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.membership.domain.ConnectionMigration;
import dev.scimsync.runtime.TimeOrderedIds;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A user as one connection's IdP provisioned it; its memberships are {@link MemberEntity} rows. */
@Entity
@Table(name = "account")
public class AccountEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "connection_id")
    public UUID connectionId;

    @Column(name = "user_name")
    public String userName;

    @Column(name = "external_id")
    public String externalId;

    public boolean active;

    /** scim, jit, manual or invite: SCIM changes only accounts whose source is scim. */
    public String source;

    /** The IdP's other attributes, stored as sent (the gateway owns their schema). */
    @JdbcTypeCode(SqlTypes.JSON)
    public ObjectNode attributes;

    public long version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** When the IdP deactivated it; null while active. */
    @Column(name = "deactivated_at")
    public Instant deactivatedAt;

    public boolean managedByScim() {
        return "scim".equals(source);
    }

    /**
     * An account that SCIM did not provision: created at a JIT sign-in or an accepted invitation (in the
     * connection), or added by hand (no connection).
     */
    public static AccountEntity notProvisioned(UUID connectionId, String email, String source, ObjectNode attributes,
            Instant now) {
        AccountEntity account = new AccountEntity();
        account.id = TimeOrderedIds.at(now);
        account.connectionId = connectionId;
        account.userName = email.trim();
        account.active = true;
        account.source = source;
        account.attributes = attributes;
        account.version = 1;
        account.createdAt = now;
        account.updatedAt = now;
        return account;
    }

    /** The user whose userName equals {@code userName} ignoring case, in the same way as the unique index. */
    public static Uni<AccountEntity> findByUserName(UUID connectionId, String userName) {
        return find("connectionId = ?1 and lower(userName) = lower(?2)", connectionId, userName).firstResult();
    }

    public static Uni<AccountEntity> findInConnection(UUID connectionId, UUID id) {
        return find("connectionId = ?1 and id = ?2", connectionId, id).firstResult();
    }

    /** The userNames of the connection's JIT accounts, in order. */
    public static Uni<List<String>> jitUserNames(UUID connectionId) {
        return AccountEntity.<AccountEntity>list("connectionId = ?1 and source = 'jit' order by userName", connectionId)
                .map(accounts -> accounts.stream().map(a -> a.userName).toList());
    }

    /**
     * The accounts of connection {@code from} that are members of an organization {@code to} serves, in userName
     * order: what a migration from {@code from} to {@code to} would adopt, or say why not.
     */
    public static Uni<List<ConnectionMigration.Candidate>> migrationCandidates(UUID from, UUID to) {
        String served = "(select l.key.organizationId from ConnectionOrganizationEntity l where l.key.connectionId = ?2)";
        return getSession().chain(session -> session.createQuery("select a.userName, a.active, "
                        + "(select count(*) from MemberEntity o where o.key.accountId = a.id and o.key.organizationId "
                        + "not in " + served + ") from AccountEntity a where a.connectionId = ?1 and a.id in (select "
                        + "m.key.accountId from MemberEntity m where m.key.organizationId in " + served + ") "
                        + "order by a.userName", Object[].class)
                .setParameter(1, from).setParameter(2, to).getResultList())
                .map(rows -> rows.stream().map(row -> new ConnectionMigration.Candidate((String) row[0],
                        (Boolean) row[1], ((Long) row[2]) > 0)).toList());
    }

    /** The userNames of the accounts added by hand (no connection) to any of the organizations, in order. */
    public static Uni<List<String>> manualUserNamesIn(Collection<String> organizations) {
        return AccountEntity.<AccountEntity>list("connectionId is null and id in (select m.key.accountId from "
                        + "MemberEntity m where m.key.organizationId in (select o.id from OrganizationEntity o "
                        + "where o.name in ?1)) order by userName",
                        organizations.isEmpty() ? Set.of("") : organizations)
                .map(accounts -> accounts.stream().map(a -> a.userName).toList());
    }

    public UserSnapshot toSnapshot() {
        return new UserSnapshot(id.toString(), connectionId.toString(),
                new UserProfile(userName, externalId, active, attributes), version, createdAt, updatedAt);
    }
}
