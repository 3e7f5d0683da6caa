package dev.scimsync.contracts;

import java.time.Instant;
import java.util.List;

/**
 * What one gateway instance saw of connections' mis-configuration since its previous report, sent to
 * membership-service every few seconds ({@code POST /internal/v1/troubleshooting/reports}, the gateway only),
 * which adds it to its counters: every instance counts in memory and reports the sums, so the request path makes
 * no call for it. Lists are bounded by the gateway ({@link #MAX_NAME_LENGTH}, and a cap of names per connection).
 *
 * @param unknownAttributes     attributes and extension URNs the IdP sent that the resource's schema does not
 *                              define (dropped from the request)
 * @param failedAuthentications failed SCIM authentications with the id of a token the gateway knows: counted for
 *                              that token's connection
 * @param unattributed          failed SCIM authentications that name no known token: counted for no connection
 */
public record TroubleshootingReport(List<UnknownAttribute> unknownAttributes,
        List<TokenFailures> failedAuthentications, List<UnattributedFailures> unattributed) {

    /** The longest attribute name kept; a longer one is cut there (it is still an attribute nobody defines). */
    public static final int MAX_NAME_LENGTH = 200;

    /** An attribute name: {@code department}, {@code name.nickName2}, {@code urn:...:enterprise:2.0:User:x}. */
    public static final String ATTRIBUTE = "attribute";
    /** A key in the namespace of a schema URN the resource type does not have. */
    public static final String EXTENSION = "extension";

    /** No {@code Authorization: Bearer} header. */
    public static final String MISSING = "missing";
    /** A bearer token that is not {@code scim_<id>_<secret>}. */
    public static final String MALFORMED = "malformed";
    /** A SCIM token whose id no connection has. */
    public static final String UNKNOWN_TOKEN = "unknown-token";

    public TroubleshootingReport {
        unknownAttributes = unknownAttributes == null ? List.of() : List.copyOf(unknownAttributes);
        failedAuthentications = failedAuthentications == null ? List.of() : List.copyOf(failedAuthentications);
        unattributed = unattributed == null ? List.of() : List.copyOf(unattributed);
    }

    public boolean isEmpty() {
        return unknownAttributes.isEmpty() && failedAuthentications.isEmpty() && unattributed.isEmpty();
    }

    /**
     * @param resourceType {@code User} or {@code Group}
     * @param kind         {@link #ATTRIBUTE} or {@link #EXTENSION}
     */
    public record UnknownAttribute(String connectionId, String resourceType, String name, String kind, long count,
            Instant firstSeen, Instant lastSeen) {
    }

    public record TokenFailures(String connectionId, String tokenId, long count, Instant firstSeen,
            Instant lastSeen) {
    }

    /** @param reason {@link #MISSING}, {@link #MALFORMED} or {@link #UNKNOWN_TOKEN} */
    public record UnattributedFailures(String reason, long count, Instant firstSeen, Instant lastSeen) {
    }
}
