package dev.scimsync.contracts.internal;

import java.util.List;

/**
 * A team of an organization with its active members placed in it directly - by a user attribute, at sign-in or
 * by hand, not through a SCIM group ({@code GET /internal/v1/organizations/{organization}/teams} on
 * membership-service answers a list of these). group-sync adds the group-derived members for its team view.
 */
public record DirectTeam(String name, List<Member> members) {

    /**
     * @param source how the member was placed: {@code attribute} (by SCIM), {@code sign-in}, {@code manual} or
     *               {@code invite}
     */
    public record Member(String id, String userName, String source) {
    }
}
