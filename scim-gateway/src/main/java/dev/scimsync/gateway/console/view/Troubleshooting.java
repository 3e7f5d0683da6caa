package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;
import java.util.List;

/** What the gateways saw of a mis-configured IdP on one connection. */
public record Troubleshooting(List<UnknownAttribute> unknownAttributes,
        List<FailedAuthentications> failedAuthentications, List<RefusedWhileScimOff> refusedWhileScimOff) {

    public Troubleshooting {
        unknownAttributes = unknownAttributes == null ? List.of() : List.copyOf(unknownAttributes);
        failedAuthentications = failedAuthentications == null ? List.of() : List.copyOf(failedAuthentications);
        refusedWhileScimOff = refusedWhileScimOff == null ? List.of() : List.copyOf(refusedWhileScimOff);
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

    /**
     * Requests refused 403 because the connection's SCIM was off, per method and resource; {@code userName} and
     * {@code userActive} are of the user the id names now (null: a group, no id, or no such user).
     */
    @TemplateData
    public record RefusedWhileScimOff(String method, String resourceType, String id, String userName,
            Boolean userActive, long count, Instant firstSeen, Instant lastSeen, String suggestedFix) {
    }
}
