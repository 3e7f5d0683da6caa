package dev.scimsync.contracts;

/**
 * Where the IdP asks a user to be placed, overriding the connection's defaults (the role-mapping
 * extension's dockerRole, dockerOrg, dockerTeam). Every part may be null: then the default applies - except
 * that an organization without a team means no team at all.
 */
public record Placement(String role, String organization, String team) {

    public static final Placement DEFAULTS = new Placement(null, null, null);
}
