package dev.scimsync.membership.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.GroupNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of a sign-in that SCIM did not refuse ({@link SignInRefusal}): with JIT on, where the sign-in
 * places the person and with which role; with JIT off, which organizations an existing member may use. Pure:
 * the caller reads and writes the rows.
 */
public final class SignInRules {

    private SignInRules() {
    }

    /** Where a JIT sign-in's groups place the person, and the groups that place no one. */
    public record GroupPlacements(List<Placements.Resolved> placements, List<String> ignoredGroups) {
    }

    /**
     * The role the sign-in's attributes name ({@code dockerRole}, else {@code role}), if it is one. JIT values
     * win over SCIM's: a role in the sign-in is applied even to a member SCIM placed.
     */
    public static Optional<Role> role(Map<String, Object> attributes) {
        if (attributes == null) {
            return Optional.empty();
        }
        Object role = attributes.getOrDefault("dockerRole", attributes.get("role"));
        try {
            return role == null ? Optional.empty() : Optional.of(Role.fromWireName(role.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Each group named {@code organization:team} of an organization linked to the connection (its name in any
     * case, as a SCIM group's) places the person in that team, with the sign-in's role or else the connection's
     * default role - which a member of that organization does not get: a sign-in that names no role keeps theirs
     * ({@code Memberships.place}'s {@code keepsRole}); other groups are ignored.
     *
     * @param groups the sign-in's groups, null for none
     */
    public static GroupPlacements byGroups(List<String> groups, Placements.ConnectionDefaults defaults,
            Optional<Role> signInRole) {
        List<Placements.Resolved> placements = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String group : groups == null ? List.<String>of() : groups) {
            Optional<GroupNames.OrganizationTeam> target = GroupNames.parse(group);
            Optional<String> organization = target.flatMap(t -> Placements.linked(defaults, t.organization()));
            if (organization.isPresent()) {
                placements.add(new Placements.Resolved(organization.get(), target.get().team(),
                        signInRole.orElse(defaults.defaultRole())));
            } else {
                ignored.add(group);
            }
        }
        return new GroupPlacements(placements, ignored);
    }

    /**
     * When no group places the person: a newcomer to the default organization joins it and its default team;
     * a member stays as it is, unless the sign-in names a role, which it then gets (its teams unchanged).
     *
     * @param memberRole the person's role in the default organization, empty if not a member of it
     * @return the placement to make, empty when nothing changes
     */
    public static Optional<Placements.Resolved> byDefault(Placements.ConnectionDefaults defaults,
            Optional<Role> signInRole, Optional<Role> memberRole) {
        if (memberRole.isPresent() && signInRole.isEmpty()) {
            return Optional.empty();
        }
        Role role = signInRole.orElse(memberRole.orElse(defaults.defaultRole()));
        return Optional.of(new Placements.Resolved(defaults.defaultOrganization(),
                memberRole.isPresent() ? null : defaults.defaultTeam(), role));
    }

    /**
     * With JIT off only members may sign in: to the organizations, among those linked to the connection, where
     * their membership is active.
     *
     * @param activeOrganizations the organizations where the person's membership is active
     */
    public static SignInOutcome withoutJit(String email, String connectionName, String accountId,
            Collection<String> activeOrganizations, Set<String> linkedOrganizations) {
        List<String> here = activeOrganizations.stream().filter(linkedOrganizations::contains).sorted().toList();
        if (here.isEmpty()) {
            return new SignInOutcome.Denied("access denied: " + email + " is not assigned to this organization "
                    + "(JIT provisioning is off for connection " + connectionName + ")");
        }
        return new SignInOutcome.Granted(accountId, here, List.of());
    }

    /** The SCIM attributes of an account a sign-in creates: the person's name and the email as primary. */
    public static ObjectNode newAccountAttributes(SignInAttempt attempt) {
        ObjectNode attributes = JsonNodeFactory.instance.objectNode();
        ObjectNode personName = attributes.putObject("name");
        if (attempt.givenName() != null) {
            personName.put("givenName", attempt.givenName());
        }
        if (attempt.familyName() != null) {
            personName.put("familyName", attempt.familyName());
        }
        attributes.putArray("emails").addObject().put("value", attempt.email().trim()).put("primary", true);
        return attributes;
    }
}
