package dev.scimsync.groupsync.domain;

import dev.scimsync.contracts.GroupNames;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a group's members belong: the team an admin mapped the group to, else the team its display name
 * names in the form {@code organization:team} (Docker's convention), provided the organization is linked to
 * the group's connection. A group that maps nowhere is kept, with the reason it is ignored.
 */
public final class TeamMapping {

    public static final String DEFAULT_ROLE = "member";
    private static final Set<String> ROLES = Set.of("member", "editor", "owner");

    /** The team a group maps to, and the role its members get there. */
    public record Target(String organization, String team, String role) {
        public Target {
            Objects.requireNonNull(organization);
            Objects.requireNonNull(team);
            Objects.requireNonNull(role);
        }
    }

    /** Either a target or the reason there is none. */
    public record Resolution(Target target, String unmappedReason) {
        static Resolution mapped(Target target) {
            return new Resolution(target, null);
        }

        static Resolution unmapped(String reason) {
            return new Resolution(null, reason);
        }

        public boolean isMapped() {
            return target != null;
        }
    }

    private TeamMapping() {
    }

    /**
     * @param explicit            the admin's mapping for this group, if any (it wins)
     * @param linkedOrganizations names of the organizations linked to the group's connection
     */
    public static Resolution resolve(String displayName, Optional<Target> explicit, Set<String> linkedOrganizations) {
        if (explicit.isPresent()) {
            return Resolution.mapped(explicit.get());
        }
        Optional<Target> named = parseName(displayName);
        if (named.isEmpty()) {
            return Resolution.unmapped("group '" + displayName + "' is not formatted as 'organization:team' - ignored");
        }
        Optional<String> organization = linked(named.get().organization(), linkedOrganizations);
        if (organization.isEmpty()) {
            return Resolution.unmapped("group '" + displayName + "' names organization '" + named.get().organization()
                    + "', which is not linked to this connection - ignored");
        }
        return Resolution.mapped(new Target(organization.get(), named.get().team(), DEFAULT_ROLE));
    }

    /** {@code organization:team} (the rule JIT sign-in applies too), as a target with the default role. */
    public static Optional<Target> parseName(String displayName) {
        return GroupNames.parse(displayName).map(named -> new Target(named.organization(), named.team(), DEFAULT_ROLE));
    }

    /** The linked organization's own spelling; organization names compare without case. */
    public static Optional<String> linked(String organization, Set<String> linkedOrganizations) {
        return linkedOrganizations.stream().filter(o -> o.equalsIgnoreCase(organization)).findFirst();
    }

    /** The role named (any case), or empty if it is not one of member, editor, owner. */
    public static Optional<String> role(String role) {
        String normalized = role == null ? DEFAULT_ROLE : role.trim().toLowerCase(Locale.ROOT);
        return ROLES.contains(normalized) ? Optional.of(normalized) : Optional.empty();
    }
}
