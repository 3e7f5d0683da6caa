package dev.scimsync.groupsync.api;

import dev.scimsync.contracts.internal.DirectTeam;
import dev.scimsync.groupsync.membership.Connections;
import dev.scimsync.groupsync.persistence.Teams;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Admin API (behind the gateway's {@code /admin/v1}): an organization's teams and who is in them. Members
 * come from mapped groups (kept here) and from direct placements - the {@code dockerTeam} attribute,
 * sign-in groups, additions by hand - which membership-service records; both are listed with their source.
 */
@Path("/internal/v1/admin/organizations/{organization}/teams")
@Produces(MediaType.APPLICATION_JSON)
public class TeamsResource {

    /** @param sources {@code group:<displayName>} for each mapped group, and the direct source if any */
    public record TeamMember(String id, String userName, String role, List<String> sources) {
    }

    public record TeamView(String name, int members, List<String> groups) {
    }

    public record TeamMembers(String organization, String team, List<TeamMember> members) {
    }

    private final Teams teams;
    private final Connections membership;

    public TeamsResource(Teams teams, Connections membership) {
        this.teams = teams;
        this.membership = membership;
    }

    @GET
    public Uni<Response> list(@PathParam("organization") String organization) {
        return membership.directTeams(organization).chain(direct -> {
            if (direct.isEmpty()) {
                return Uni.createFrom().item(GroupsResource.error(404, "organization " + organization + " not found"));
            }
            return teams.teams(organization).chain(groupTeams -> teams.members(organization, null).map(derived -> {
                Map<String, String> names = new TreeMap<>();
                Map<String, List<String>> groups = new LinkedHashMap<>();
                groupTeams.forEach(t -> {
                    names.put(key(t.name()), t.name());
                    groups.put(key(t.name()), t.groups());
                });
                direct.get().forEach(t -> names.putIfAbsent(key(t.name()), t.name()));
                List<TeamView> views = new ArrayList<>();
                names.forEach((key, name) -> views.add(new TeamView(name,
                        merge(derived.stream().filter(m -> key(m.team()).equals(key)).toList(),
                                direct.get().stream().filter(t -> key(t.name()).equals(key)).findFirst()).size(),
                        groups.getOrDefault(key, List.of()))));
                return Response.ok(views).build();
            }));
        });
    }

    @GET
    @Path("/{team}/members")
    public Uni<Response> members(@PathParam("organization") String organization, @PathParam("team") String team) {
        return membership.directTeams(organization).chain(direct -> {
            if (direct.isEmpty()) {
                return Uni.createFrom().item(GroupsResource.error(404, "organization " + organization + " not found"));
            }
            var directTeam = direct.get().stream().filter(t -> key(t.name()).equals(key(team))).findFirst();
            return teams.teams(organization).chain(groupTeams -> teams.members(organization, team).map(derived -> {
                var groupTeam = groupTeams.stream().filter(t -> key(t.name()).equals(key(team))).findFirst();
                if (groupTeam.isEmpty() && directTeam.isEmpty()) {
                    return GroupsResource.error(404, "team " + team + " not found in organization " + organization);
                }
                String name = groupTeam.map(Teams.GroupTeam::name).orElseGet(() -> directTeam.get().name());
                return Response.ok(new TeamMembers(organization, name, merge(derived, directTeam))).build();
            }));
        });
    }

    /** One entry per user, sorted by userName, with every way it is in the team. */
    private static List<TeamMember> merge(List<Teams.GroupTeamMember> derived,
            java.util.Optional<DirectTeam> direct) {
        Map<String, TeamMember> members = new LinkedHashMap<>();
        for (Teams.GroupTeamMember member : derived) {
            List<String> sources = new ArrayList<>();
            member.groups().forEach(g -> sources.add("group:" + g));
            members.put(member.id(), new TeamMember(member.id(), member.userName(), member.role(), sources));
        }
        direct.ifPresent(team -> team.members().forEach(member -> {
            TeamMember existing = members.get(member.id());
            List<String> sources = new ArrayList<>(existing == null ? List.of() : existing.sources());
            sources.add(member.source());
            members.put(member.id(), new TeamMember(member.id(), member.userName(),
                    existing == null ? null : existing.role(), sources));
        }));
        return members.values().stream()
                .sorted(Comparator.comparing(m -> m.userName() == null ? "" : m.userName().toLowerCase(Locale.ROOT)))
                .toList();
    }

    private static String key(String teamName) {
        return teamName.toLowerCase(Locale.ROOT);
    }
}
