package dev.scimsync.gateway.console.view;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;
import java.time.Instant;
import java.util.List;

/**
 * A record of the audit log.
 *
 * @param kind    {@code command}, {@code outcome}, an event kind, or {@code admin} for an admin action
 * @param payload what an admin action's payload says of the request; the console shows nothing else of a payload
 */
@TemplateData
public record AuditRecord(String kind, String action, String outcome, String user, String tokenId, String requestId,
        String clientAddress, Instant recordedAt, AdminRequest payload) {

    /** The admin request an {@code admin} record is about: whatever the payload's shape, the fields are read if there. */
    @TemplateData
    public record AdminRequest(String method, String path, String via) {

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static AdminRequest of(JsonNode payload) {
            return new AdminRequest(text(payload, "method"), text(payload, "path"), text(payload, "via"));
        }

        private static String text(JsonNode payload, String field) {
            JsonNode value = payload == null ? null : payload.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    /** A page of records, newest first, and the cursor of the next (older) page. */
    public record Page(List<AuditRecord> records, String nextCursor) {

        public Page {
            records = records == null ? List.of() : List.copyOf(records);
        }
    }

    /** A check of one chain: intact, or where it breaks and why. */
    @TemplateData
    public record ChainVerification(String connection, long records, boolean intact, Long firstBrokenSeq,
            String problem) {
    }
}
