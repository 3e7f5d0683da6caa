package dev.scimsync.contracts.internal;

import java.util.List;

/**
 * Which of these user ids SCIM provisioned in a connection ({@code POST
 * /internal/v1/connections/{connectionId}/users/lookup} on membership-service, answered with a list of
 * {@link KnownUser}; unknown ids are left out). group-sync checks a group's members with it.
 */
public record UserLookup(List<String> ids) {
}
