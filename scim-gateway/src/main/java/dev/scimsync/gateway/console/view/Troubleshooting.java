package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;
import java.util.List;

/** What the gateways saw of a mis-configured IdP on one connection. */
public record Troubleshooting(List<UnknownAttribute> unknownAttributes,
        List<FailedAuthentications> failedAuthentications) {

    public Troubleshooting {
        unknownAttributes = unknownAttributes == null ? List.of() : List.copyOf(unknownAttributes);
        failedAuthentications = failedAuthentications == null ? List.of() : List.copyOf(failedAuthentications);
    }

    /** An attribute the IdP sends that the schema does not define (dropped without an error). */
    @TemplateData
    public record UnknownAttribute(String resourceType, String name, String kind, long count, Instant firstSeen,
            Instant lastSeen, String suggestedFix) {
    }

    /** Requests refused with 401 that carried one of the connection's tokens ({@code live} or {@code revoked}). */
    @TemplateData
    public record FailedAuthentications(String tokenId, String tokenState, long count, Instant firstSeen,
            Instant lastSeen, String suggestedFix) {
    }
}
