package dev.scimsync.audit.persistence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.audit.domain.AuditEntry;
import dev.scimsync.audit.domain.ChainKeys;
import dev.scimsync.audit.domain.HashChain;
import dev.scimsync.runtime.StoredTime;
import dev.scimsync.runtime.TimeOrderedIds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The append-only, hash-chained audit log. Appends run inside the caller's transaction, a batch at a time;
 * the chain heads' row locks serialize appends to one connection's chain, so two consumers never fork it.
 * New records are chained with a MAC under the current chain key ({@link ChainKeys}).
 */
@ApplicationScoped
public class AuditLog {

    private final ChainKeys keys;

    private final Clock clock;

    public AuditLog(ChainKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Numbers are read as written, so the canonical JSON of a stored payload equals the hashed one. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public static final String COLUMNS = "id, connection_id, seq, kind, message_id, command_id, action, outcome, "
            + "organization, user_ref, token_id, request_id, client_address, user_agent, cast(payload as text), "
            + "recorded_at, prev_hash, hash, key_id";

    /** What a consumer knows about a message; the log adds the id, sequence, time and hashes. */
    public record Message(String connectionId, String kind, String messageId, UUID commandId, String action,
            String outcome, String organization, String user, String tokenId, String requestId, String clientAddress,
            String userAgent, JsonNode payload) {
    }

    /** A stored record with the chain value (hash or MAC) it was stored with. */
    public record Stored(AuditEntry entry, String hash) {
    }

    /**
     * Appends those of the messages not recorded before, in the given order (a poll's order: each partition's
     * records in offset order); answers how many were new. Runs on the caller's connection, inside its
     * transaction, in five statements whatever the number of messages: the dedupe, the chain heads (created
     * and locked), the records, the heads' update. Plain SQL on the Vert.x client, because Hibernate's
     * native-query plan cache made every append a linear cache scan.
     */
    public Uni<Integer> append(SqlConnection connection, List<Message> messages) {
        // A message redelivered within the same poll counts once, in its first place.
        Map<String, Message> distinct = new LinkedHashMap<>();
        messages.forEach(message -> distinct.putIfAbsent(message.messageId(), message));
        if (distinct.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return connection.preparedQuery("insert into audit_message (message_id, recorded_at) "
                        + "select unnest($1::text[]), $2 on conflict do nothing returning message_id")
                .execute(Tuple.of(distinct.keySet().toArray(new String[0]),
                        OffsetDateTime.ofInstant(StoredTime.now(clock), ZoneOffset.UTC)))
                .chain(inserted -> {
                    Set<String> fresh = new HashSet<>();
                    inserted.forEach(row -> fresh.add(row.getString(0)));
                    List<Message> unseen = distinct.values().stream().filter(m -> fresh.contains(m.messageId()))
                            .toList();
                    if (unseen.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return lockHeads(connection, unseen).chain(heads -> {
                        List<Chained> chained = chain(unseen, heads);
                        return insert(connection, chained)
                                .chain(() -> updateHeads(connection, heads))
                                .replaceWith(unseen.size());
                    });
                });
    }

    /** A connection's chain head while a batch is appended: where the next record attaches. */
    private static final class Head {
        long seq;
        String hash;
        Instant recordedAt;
        String keyId;

        Head(long seq, String hash, Instant recordedAt) {
            this.seq = seq;
            this.hash = hash;
            this.recordedAt = recordedAt;
        }
    }

    private record Chained(AuditEntry entry, String hash) {
    }

    /**
     * Creates the missing heads and locks every head the messages append to, in connection-id order: two
     * consumers (one per topic) appending to overlapping connections wait for each other instead of
     * deadlocking. Rows come back locked in that order because the lock is taken above the sort.
     */
    private static Uni<Map<String, Head>> lockHeads(SqlConnection connection, List<Message> messages) {
        String[] connections = messages.stream().map(Message::connectionId).distinct().sorted()
                .toArray(String[]::new);
        return connection.preparedQuery("insert into audit_chain (connection_id, last_seq, last_hash) "
                        + "select unnest($1::text[]), 0, $2 on conflict do nothing")
                .execute(Tuple.of(connections, HashChain.GENESIS))
                .chain(() -> connection.preparedQuery("select connection_id, last_seq, last_hash, last_recorded_at "
                                + "from audit_chain where connection_id = any($1) order by connection_id for update")
                        .execute(Tuple.of(connections)))
                .map(rows -> {
                    Map<String, Head> heads = new HashMap<>();
                    for (Row row : rows) {
                        OffsetDateTime recordedAt = row.getOffsetDateTime("last_recorded_at");
                        heads.put(row.getString("connection_id"), new Head(row.getLong("last_seq"),
                                row.getString("last_hash"), recordedAt == null ? null : recordedAt.toInstant()));
                    }
                    return heads;
                });
    }

    /**
     * Links the messages, in order, to their chains, moving each head along. Times are taken under the
     * chains' locks and strictly increase within a chain: a batch's records of one connection are a
     * millisecond apart, so "newest first" stays the chain's order.
     */
    private List<Chained> chain(List<Message> messages, Map<String, Head> heads) {
        Instant now = StoredTime.now(clock);
        List<Chained> chained = new ArrayList<>(messages.size());
        for (Message message : messages) {
            Head head = heads.get(message.connectionId());
            Instant at = head.recordedAt != null && !now.isAfter(head.recordedAt) ? head.recordedAt.plusMillis(1) : now;
            AuditEntry entry = new AuditEntry(TimeOrderedIds.at(at), message.connectionId(), head.seq + 1, message.kind(),
                    message.messageId(), message.commandId(), message.action(), message.outcome(),
                    message.organization(), message.user(), message.tokenId(), message.requestId(),
                    message.clientAddress(), message.userAgent(), message.payload(), at, head.hash, keys.currentKeyId());
            String hash = keys.chainValue(entry).orElseThrow();
            chained.add(new Chained(entry, hash));
            head.seq = entry.seq();
            head.hash = hash;
            head.recordedAt = at;
            head.keyId = entry.keyId();
        }
        return chained;
    }

    private static Uni<RowSet<Row>> insert(SqlConnection connection, List<Chained> records) {
        int size = records.size();
        UUID[] ids = new UUID[size];
        String[] connections = new String[size];
        Long[] seqs = new Long[size];
        String[] kinds = new String[size];
        String[] messageIds = new String[size];
        UUID[] commandIds = new UUID[size];
        String[] actions = new String[size];
        String[] outcomes = new String[size];
        String[] organizations = new String[size];
        String[] users = new String[size];
        String[] tokenIds = new String[size];
        String[] requestIds = new String[size];
        String[] clientAddresses = new String[size];
        String[] userAgents = new String[size];
        String[] payloads = new String[size];
        OffsetDateTime[] recordedAts = new OffsetDateTime[size];
        String[] previousHashes = new String[size];
        String[] hashes = new String[size];
        String[] keyIds = new String[size];
        for (int i = 0; i < size; i++) {
            AuditEntry e = records.get(i).entry();
            ids[i] = e.id();
            connections[i] = e.connectionId();
            seqs[i] = e.seq();
            kinds[i] = e.kind();
            messageIds[i] = e.messageId();
            commandIds[i] = e.commandId();
            actions[i] = e.action();
            outcomes[i] = e.outcome();
            organizations[i] = e.organization();
            users[i] = e.user();
            tokenIds[i] = e.tokenId();
            requestIds[i] = e.requestId();
            clientAddresses[i] = e.clientAddress();
            userAgents[i] = e.userAgent();
            payloads[i] = e.payload().toString();
            recordedAts[i] = OffsetDateTime.ofInstant(e.recordedAt(), ZoneOffset.UTC);
            previousHashes[i] = e.previousHash();
            hashes[i] = records.get(i).hash();
            keyIds[i] = e.keyId();
        }
        return connection.preparedQuery("insert into audit_log (id, connection_id, seq, kind, message_id, command_id, "
                        + "action, outcome, organization, user_ref, token_id, request_id, client_address, user_agent, payload, "
                        + "recorded_at, prev_hash, hash, key_id) select id, connection_id, seq, kind, message_id, command_id, "
                        + "action, outcome, organization, user_ref, token_id, request_id, client_address, user_agent, "
                        + "cast(payload as jsonb), recorded_at, prev_hash, hash, key_id from unnest($1::uuid[], $2::text[], "
                        + "$3::int8[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[], "
                        + "$11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::timestamptz[], $17::text[], "
                        + "$18::text[], $19::text[]) as r(id, connection_id, seq, kind, message_id, command_id, action, "
                        + "outcome, organization, user_ref, token_id, request_id, client_address, user_agent, payload, "
                        + "recorded_at, prev_hash, hash, key_id)")
                .execute(Tuple.from(List.<Object>of(ids, connections, seqs, kinds, messageIds, commandIds, actions,
                        outcomes, organizations, users, tokenIds, requestIds, clientAddresses, userAgents, payloads,
                        recordedAts, previousHashes, hashes, keyIds)));
    }

    private static Uni<RowSet<Row>> updateHeads(SqlConnection connection, Map<String, Head> heads) {
        List<String> connections = new ArrayList<>(heads.keySet());
        Long[] seqs = new Long[connections.size()];
        String[] hashes = new String[connections.size()];
        OffsetDateTime[] recordedAts = new OffsetDateTime[connections.size()];
        String[] keyIds = new String[connections.size()];
        for (int i = 0; i < connections.size(); i++) {
            Head head = heads.get(connections.get(i));
            seqs[i] = head.seq;
            hashes[i] = head.hash;
            recordedAts[i] = OffsetDateTime.ofInstant(head.recordedAt, ZoneOffset.UTC);
            keyIds[i] = head.keyId;
        }
        return connection.preparedQuery("update audit_chain c set last_seq = h.seq, last_hash = h.hash, "
                        + "last_recorded_at = h.recorded_at, last_key_id = h.key_id from unnest($1::text[], $2::int8[], "
                        + "$3::text[], $4::timestamptz[], $5::text[]) as h(connection_id, seq, hash, recorded_at, key_id) "
                        + "where c.connection_id = h.connection_id")
                .execute(Tuple.of(connections.toArray(new String[0]), seqs, hashes, recordedAts, keyIds));
    }

    /** Rows as {@code select COLUMNS from audit_log ...} returns them. */
    public static List<Stored> read(List<Object[]> rows) {
        List<Stored> stored = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            try {
                stored.add(new Stored(new AuditEntry((UUID) row[0], (String) row[1], ((Number) row[2]).longValue(),
                        (String) row[3], (String) row[4], (UUID) row[5], (String) row[6], (String) row[7],
                        (String) row[8], (String) row[9], (String) row[10], (String) row[11], (String) row[12],
                        (String) row[13], JSON.readTree((String) row[14]), instant(row[15]), (String) row[16],
                        (String) row[18]), (String) row[17]));
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
