package dev.scimsync.contracts;

import java.util.Optional;

/**
 * IdP group names of the form {@code organization:team} name that team (Docker's convention): one rule for
 * JIT sign-in groups (membership-service) and SCIM groups (group-sync-service).
 */
public final class GroupNames {

    private GroupNames() {
    }

    public record OrganizationTeam(String organization, String team) {
    }

    public static Optional<OrganizationTeam> parse(String groupName) {
        if (groupName == null) {
            return Optional.empty();
        }
        int colon = groupName.indexOf(':');
        if (colon <= 0 || colon == groupName.length() - 1 || groupName.indexOf(':', colon + 1) >= 0) {
            return Optional.empty();
        }
        String organization = groupName.substring(0, colon).trim();
        String team = groupName.substring(colon + 1).trim();
        return organization.isEmpty() || team.isEmpty() ? Optional.empty()
                : Optional.of(new OrganizationTeam(organization, team));
    }
}
