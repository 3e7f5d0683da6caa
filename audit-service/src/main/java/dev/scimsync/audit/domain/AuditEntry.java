package dev.scimsync.audit.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One audited message with its place in the connection's chain. {@link #canonical()} is exactly what the
 * hash covers: every field but the hash itself.
 */
public record AuditEntry(
        UUID id,
        String connectionId,
        long seq,
        String kind,
        String messageId,
        UUID commandId,
        String action,
        String outcome,
        String organization,
        String user,
        String tokenId,
        String requestId,
        String clientAddress,
        String userAgent,
        JsonNode payload,
        Instant recordedAt,
        String previousHash) {

    public String canonical() {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("id", id.toString());
        record.put("connectionId", connectionId);
        record.put("seq", seq);
        record.put("kind", kind);
        record.put("messageId", messageId);
        record.put("commandId", commandId == null ? null : commandId.toString());
        record.put("action", action);
        record.put("outcome", outcome);
        record.put("organization", organization);
        record.put("user", user);
        record.put("tokenId", tokenId);
        record.put("requestId", requestId);
        record.put("clientAddress", clientAddress);
        record.put("userAgent", userAgent);
        record.set("payload", payload);
        record.put("recordedAt", recordedAt.toString());
        record.put("previousHash", previousHash);
        return CanonicalJson.of(record);
    }

    public String hash() {
        return HashChain.next(previousHash, canonical());
    }
}
