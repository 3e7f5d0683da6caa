package dev.scimsync.contracts.internal;

import java.util.List;

/**
 * A connection as membership-service describes it to the other services
 * ({@code GET /internal/v1/connections/{id or name}}): group-sync checks that SCIM is on and which organizations a
 * group mapping may place members in; the gateway checks an admin's scope against the organizations.
 *
 * @param organizations names of the organizations linked to the connection, sorted
 */
public record ConnectionSummary(String id, String name, boolean scimEnabled, List<String> organizations) {
}
