package dev.scimsync.contracts.internal;

import java.util.List;

/**
 * Users whose groups the gateway needs for the SCIM User's {@code groups} attribute ({@code POST
 * /internal/v1/connections/{connectionId}/users/groups} on group-sync-service), answered with an object from user
 * id to its {@code GroupMember}s; users in no group are absent.
 */
public record UserIds(List<String> userIds) {
}
