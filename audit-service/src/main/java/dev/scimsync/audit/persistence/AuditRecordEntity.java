package dev.scimsync.audit.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One audited message: a command as the gateway sent it, or its outcome. */
@Entity
@Table(name = "audit_record")
public class AuditRecordEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String kind;

    @Column(name = "command_id")
    public UUID commandId;

    @Column(name = "connection_id")
    public String connectionId;

    public String action;

    public String outcome;

    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode payload;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    /**
     * Stores the record unless one of the same kind for the same command exists: Kafka redelivers after a
     * crash, and the log must hold each message once. The payload parameter is typed text first: bound
     * straight to jsonb, the driver would store the JSON text as one JSON string.
     */
    public static Uni<Integer> insertOnce(String kind, UUID commandId, String connectionId, String action,
            String outcome, String payloadJson) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        insert into audit_record (id, kind, command_id, connection_id, action, outcome, payload)
                        values (?1, ?2, ?3, ?4, ?5, ?6, cast(cast(?7 as text) as jsonb))
                        on conflict (kind, command_id) do nothing""")
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, kind)
                .setParameter(3, commandId)
                .setParameter(4, connectionId)
                .setParameter(5, action)
                .setParameter(6, outcome)
                .setParameter(7, payloadJson)
                .executeUpdate());
    }
}
