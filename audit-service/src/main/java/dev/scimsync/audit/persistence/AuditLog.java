package dev.scimsync.audit.persistence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.audit.domain.AuditEntry;
import dev.scimsync.audit.domain.HashChain;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The append-only, hash-chained audit log. Appends run inside the caller's transaction; the chain head's
 * row lock serializes appends to one connection's chain, so two consumers never fork it.
 */
@ApplicationScoped
public class AuditLog {

    /** Numbers are read as written, so the canonical JSON of a stored payload equals the hashed one. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public static final String COLUMNS = "id, connection_id, seq, kind, message_id, command_id, action, outcome, "
            + "organization, user_ref, token_id, request_id, client_address, user_agent, cast(payload as text), "
            + "recorded_at, prev_hash, hash";

    /** What a consumer knows about a message; the log adds the id, sequence, time and hashes. */
    public record Message(String connectionId, String kind, String messageId, UUID commandId, String action,
            String outcome, String organization, String user, String tokenId, String requestId, String clientAddress,
            String userAgent, JsonNode payload) {
    }

    /** A stored record with the hash it was stored with. */
    public record Stored(AuditEntry entry, String hash) {
    }

    /**
     * Appends the message unless it was recorded before; answers whether it was new. Runs on the caller's
     * connection, inside its transaction: plain SQL on the Vert.x client, because this runs three times per
     * provisioned user and Hibernate's native-query plan cache made every append a linear cache scan.
     */
    public Uni<Boolean> append(SqlConnection connection, Message message) {
        return connection.preparedQuery("insert into audit_message (message_id, recorded_at) values ($1, $2) "
                        + "on conflict do nothing")
                .execute(Tuple.of(message.messageId(), OffsetDateTime.now(ZoneOffset.UTC)))
                .chain(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().item(false)
                        : chainHead(connection, message.connectionId()).chain(head -> {
                            // Taken under the chain's lock, and never before the previous record's time.
                            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                            if (head.recordedAt() != null && !now.isAfter(head.recordedAt())) {
                                now = head.recordedAt().plusMillis(1);
                            }
                            AuditEntry entry = new AuditEntry(UUID.randomUUID(), message.connectionId(), head.seq() + 1,
                                    message.kind(), message.messageId(), message.commandId(), message.action(),
                                    message.outcome(), message.organization(), message.user(), message.tokenId(),
                                    message.requestId(), message.clientAddress(), message.userAgent(), message.payload(),
                                    now, head.hash());
                            String hash = entry.hash();
                            return insert(connection, entry, hash)
                                    .chain(() -> connection.preparedQuery("update audit_chain set last_seq = $1, "
                                                    + "last_hash = $2, last_recorded_at = $3 where connection_id = $4")
                                            .execute(Tuple.of(entry.seq(), hash,
                                                    OffsetDateTime.ofInstant(entry.recordedAt(), ZoneOffset.UTC),
                                                    entry.connectionId())))
                                    .replaceWith(true);
                        }));
    }

    private record Head(long seq, String hash, Instant recordedAt) {
    }

    private static Uni<Head> chainHead(SqlConnection connection, String connectionId) {
        return connection.preparedQuery("insert into audit_chain (connection_id, last_seq, last_hash) values ($1, 0, $2) "
                        + "on conflict do nothing")
                .execute(Tuple.of(connectionId, HashChain.GENESIS))
                .chain(() -> connection.preparedQuery("select last_seq, last_hash, last_recorded_at from audit_chain "
                                + "where connection_id = $1 for update")
                        .execute(Tuple.of(connectionId)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    OffsetDateTime recordedAt = row.getOffsetDateTime("last_recorded_at");
                    return new Head(row.getLong("last_seq"), row.getString("last_hash"),
                            recordedAt == null ? null : recordedAt.toInstant());
                });
    }

    private static Uni<RowSet<Row>> insert(SqlConnection connection, AuditEntry entry, String hash) {
        return connection.preparedQuery("insert into audit_log (id, connection_id, seq, kind, message_id, command_id, "
                        + "action, outcome, organization, user_ref, token_id, request_id, client_address, user_agent, payload, "
                        + "recorded_at, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                        + "cast(cast($15 as text) as jsonb), $16, $17, $18)")
                .execute(Tuple.from(java.util.Arrays.asList(entry.id(), entry.connectionId(), entry.seq(), entry.kind(),
                        entry.messageId(), entry.commandId(), entry.action(), entry.outcome(), entry.organization(),
                        entry.user(), entry.tokenId(), entry.requestId(), entry.clientAddress(), entry.userAgent(),
                        entry.payload().toString(), OffsetDateTime.ofInstant(entry.recordedAt(), ZoneOffset.UTC),
                        entry.previousHash(), hash)));
    }

    /** Rows as {@code select COLUMNS from audit_log ...} returns them. */
    public static List<Stored> read(List<Object[]> rows) {
        List<Stored> stored = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            try {
                stored.add(new Stored(new AuditEntry((UUID) row[0], (String) row[1], ((Number) row[2]).longValue(),
                        (String) row[3], (String) row[4], (UUID) row[5], (String) row[6], (String) row[7],
                        (String) row[8], (String) row[9], (String) row[10], (String) row[11], (String) row[12],
                        (String) row[13], JSON.readTree((String) row[14]), instant(row[15]), (String) row[16]),
                        (String) row[17]));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable payload in audit record " + row[0], e);
            }
        }
        return stored;
    }

    public static Instant instant(Object value) {
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.time.LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        return (Instant) value;
    }
}
