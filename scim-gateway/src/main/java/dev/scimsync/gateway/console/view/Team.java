package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** A team of an organization, and the IdP groups that fill it. */
@TemplateData
public record Team(String name, int members, List<String> groups) {

    public Team {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** Someone in a team, and every reason they are there (a group, a sign-in, an addition by hand). */
    @TemplateData
    public record Member(String id, String userName, String role, List<String> sources) {

        public Member {
            sources = sources == null ? List.of() : List.copyOf(sources);
        }
    }

    /** A team's members. */
    public record Members(List<Member> members) {

        public Members {
            members = members == null ? List.of() : List.copyOf(members);
        }
    }
}
