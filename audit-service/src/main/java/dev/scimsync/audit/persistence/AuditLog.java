package dev.scimsync.audit.persistence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.audit.domain.AuditEntry;
import dev.scimsync.audit.domain.HashChain;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

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

    /** Appends the message unless it was recorded before; answers whether it was new. */
    public Uni<Boolean> append(Message message) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                                "insert into audit_message (message_id, recorded_at) values (?1, ?2) on conflict do nothing")
                        .setParameter(1, message.messageId()).setParameter(2, OffsetDateTime.now(ZoneOffset.UTC))
                        .executeUpdate()
                .chain(inserted -> inserted == 0 ? Uni.createFrom().item(false) : chainHead(session, message.connectionId())
                        .chain(head -> {
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
                            return insert(session, entry, hash)
                                    .chain(() -> session.createNativeQuery("update audit_chain set last_seq = ?1, "
                                                    + "last_hash = ?2, last_recorded_at = ?3 where connection_id = ?4")
                                            .setParameter(1, entry.seq()).setParameter(2, hash)
                                            .setParameter(3, OffsetDateTime.ofInstant(entry.recordedAt(), ZoneOffset.UTC))
                                            .setParameter(4, entry.connectionId()).executeUpdate())
                                    .replaceWith(true);
                        })));
    }

    private record Head(long seq, String hash, Instant recordedAt) {
    }

    private static Uni<Head> chainHead(Mutiny.Session session, String connectionId) {
        return session.createNativeQuery("insert into audit_chain (connection_id, last_seq, last_hash) values (?1, 0, ?2) "
                        + "on conflict do nothing")
                .setParameter(1, connectionId).setParameter(2, HashChain.GENESIS).executeUpdate()
                .chain(() -> session.createNativeQuery(
                                "select last_seq, last_hash, last_recorded_at from audit_chain where connection_id = ?1 "
                                        + "for update", Object[].class)
                        .setParameter(1, connectionId).getSingleResult())
                .map(row -> new Head(((Number) row[0]).longValue(), (String) row[1],
                        row[2] == null ? null : instant(row[2])));
    }

    private static Uni<Integer> insert(Mutiny.Session session, AuditEntry entry, String hash) {
        return session.createNativeQuery("insert into audit_log (id, connection_id, seq, kind, message_id, command_id, "
                        + "action, outcome, organization, user_ref, token_id, request_id, client_address, user_agent, payload, "
                        + "recorded_at, prev_hash, hash) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                        + "cast(cast(?15 as text) as jsonb), ?16, ?17, ?18)")
                .setParameter(1, entry.id()).setParameter(2, entry.connectionId()).setParameter(3, entry.seq())
                .setParameter(4, entry.kind()).setParameter(5, entry.messageId()).setParameter(6, entry.commandId())
                .setParameter(7, entry.action()).setParameter(8, entry.outcome()).setParameter(9, entry.organization())
                .setParameter(10, entry.user()).setParameter(11, entry.tokenId()).setParameter(12, entry.requestId())
                .setParameter(13, entry.clientAddress()).setParameter(14, entry.userAgent())
                .setParameter(15, entry.payload().toString())
                .setParameter(16, OffsetDateTime.ofInstant(entry.recordedAt(), ZoneOffset.UTC))
                .setParameter(17, entry.previousHash()).setParameter(18, hash)
                .executeUpdate();
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
