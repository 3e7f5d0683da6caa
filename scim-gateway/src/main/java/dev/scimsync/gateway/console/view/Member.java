package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;
import java.util.List;

/**
 * A member of an organization.
 *
 * @param deactivatedAt when the IdP deactivated the member; null unless deactivated
 * @param teams         the teams the member is placed in directly
 */
@TemplateData
public record Member(String email, String name, String role, String state, Instant deactivatedAt, String source,
        List<String> teams, Instant created) {

    public Member {
        teams = teams == null ? List.of() : List.copyOf(teams);
    }

    /** A page of an organization's members, and how many match in all. */
    public record Page(long totalResults, List<Member> members) {

        public Page {
            members = members == null ? List.of() : List.copyOf(members);
        }
    }
}
