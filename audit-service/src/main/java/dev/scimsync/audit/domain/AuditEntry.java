package dev.scimsync.audit.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One audited message with its place in the connection's chain. {@link #canonical()} is exactly what the
 * chain value covers: every field but the value itself.
 *
 * @param keyId the chain key the record's value is a MAC with ({@link ChainKeys}); null for records written
 *              before the chain was keyed, whose value is a plain SHA-256
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
        String previousHash,
        String keyId) {

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
        // Covered, so a record cannot be moved to another key's name; absent from unkeyed records, whose
        // canonical text is what it was when they were written.
        if (keyId != null) {
            record.put("keyId", keyId);
        }
        return CanonicalJson.of(record);
    }
}
