package dev.scimsync.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * One admin write (any request but a read) through the gateway's admin API or console, published by the
 * gateway on {@link Topics#ADMIN_ACTIONS} once the owning service has answered, for audit-service to record.
 * Keyed by {@link #chainKey()}: one connection's (or the admin pseudo-connection's) actions stay in order.
 *
 * <p>Never carries a credential or a body: the admin is named ({@code operator} for the operator token), not
 * its token, and what was sent or answered (a SCIM token is answered in the body) stays out.
 *
 * @param action         what was done, e.g. {@code admin.scim-token.revoke} (see the gateway's AdminActions)
 * @param admin          who: the admin token's name, {@code operator} for the operator token
 * @param via            {@code api} or {@code console}
 * @param path           the admin API path called, relative to {@code /admin/v1/}, still URL-encoded
 * @param query          its query string, or null
 * @param location       where the owning service said the created resource is (a 201's Location), or null
 * @param connectionName the connection the path names (or the create names), or null
 * @param connectionId   that connection's id, or null when there is none or it could not be found
 * @param organization   the organization the path names, or null
 * @param status         the HTTP status the admin was answered with
 */
public record AdminAction(UUID actionId, Instant occurredAt, String action, String admin, String via, String method,
        String path, String query, String location, String connectionName, String connectionId, String organization,
        int status, String requestId, String clientAddress, String userAgent) {

    /** The audit chain of the actions that concern no connection (organizations, dead letters, ...). */
    public static final String NO_CONNECTION = "admin";

    /** The audit chain the action belongs to: its connection's, else {@link #NO_CONNECTION}. */
    public String chainKey() {
        return connectionId != null ? connectionId : NO_CONNECTION;
    }
}
