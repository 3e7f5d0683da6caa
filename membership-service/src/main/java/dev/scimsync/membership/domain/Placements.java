package dev.scimsync.membership.domain;

import dev.scimsync.contracts.Placement;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a provisioned user lands (as Docker's SCIM documents it): the connection's default organization,
 * team and role, unless the IdP names them. A named organization must be linked to the connection; naming
 * an organization without a team means no team (the default team belongs to the default organization).
 */
public final class Placements {

    private Placements() {
    }

    /** What a connection falls back to, and the organizations it may place users in. */
    public record ConnectionDefaults(String connectionName, String defaultOrganization, String defaultTeam,
            Role defaultRole, Set<String> linkedOrganizations) {
    }

    public record Resolved(String organization, String team, Role role) {
    }

    /** Why a placement cannot be honoured, in words an IdP admin can act on. */
    public static final class InvalidPlacement extends Exception {
        InvalidPlacement(String message) {
            super(message);
        }
    }

    public static Resolved resolve(ConnectionDefaults defaults, Placement requested) throws InvalidPlacement {
        Placement placement = requested == null ? Placement.DEFAULTS : requested;
        String organization = defaults.defaultOrganization();
        String team = blankToNull(placement.team());
        String requestedOrganization = blankToNull(placement.organization());
        if (requestedOrganization != null) {
            organization = linked(defaults, requestedOrganization).orElseThrow(() -> new InvalidPlacement(
                    "organization '" + requestedOrganization + "' is not linked to connection '"
                            + defaults.connectionName() + "'; link it, or remove dockerOrg from the user"));
        }
        if (team == null && organization.equals(defaults.defaultOrganization())) {
            // The default team belongs to the default organization: a dockerOrg that names it keeps it (an Entra
            // expression sends dockerOrg for everyone, the default organization for most).
            team = defaults.defaultTeam();
        }
        Role role = defaults.defaultRole();
        String requestedRole = blankToNull(placement.role());
        if (requestedRole != null) {
            try {
                role = Role.fromWireName(requestedRole);
            } catch (IllegalArgumentException e) {
                throw new InvalidPlacement("role '" + requestedRole + "' is not one of member, editor, owner");
            }
        }
        return new Resolved(organization, team, role);
    }

    /** The organization's name as linked to the connection (names compare without case), if it is linked. */
    static Optional<String> linked(ConnectionDefaults defaults, String organization) {
        return defaults.linkedOrganizations().stream()
                .filter(name -> name.toLowerCase(Locale.ROOT).equals(organization.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
