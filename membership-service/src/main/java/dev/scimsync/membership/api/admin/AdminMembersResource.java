package dev.scimsync.membership.api.admin;

import dev.scimsync.membership.api.WriteRefusals;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.CsvCell;
import dev.scimsync.contracts.internal.Problem;
import dev.scimsync.membership.domain.MemberSource;
import dev.scimsync.membership.domain.MemberState;
import dev.scimsync.membership.domain.Role;
import dev.scimsync.membership.persistence.AccountEntity;
import dev.scimsync.membership.persistence.InvitationEntity;
import dev.scimsync.membership.persistence.MemberEntity;
import dev.scimsync.membership.persistence.Memberships;
import dev.scimsync.membership.persistence.OrganizationEntity;
import dev.scimsync.membership.persistence.RemovedByAdminEntity;
import dev.scimsync.membership.persistence.TeamEntity;
import dev.scimsync.membership.persistence.TeamMemberEntity;
import dev.scimsync.runtime.BoundedQueries;
import dev.scimsync.runtime.CaseInsensitive;
import dev.scimsync.runtime.LikePatterns;
import dev.scimsync.runtime.StoredTime;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestMulti;

/** Admin API: an organization's members - list, export, and the manual add and remove. */
@Path("/internal/v1/admin/organizations/{org}/members")
public class AdminMembersResource {

    public record NewMember(String email, String role) {
    }

    /** @param deactivatedAt when the IdP deactivated the member (null unless deactivated): the console says why */
    public record MemberView(String email, String name, String role, String state, Instant deactivatedAt, String source,
            List<String> teams, Instant created) {
    }

    public record MemberPage(long totalResults, int startIndex, int itemsPerPage, List<MemberView> members) {
    }

    /** Members per page of the CSV export: one page's rows, not the organization's, are in memory at a time. */
    private static final int EXPORT_PAGE = 1000;

    /** What {@code q} searches: the email and the name however the IdP sent it, lower-cased. */
    private static final String SEARCHED_TEXT = "lower(concat(a.user_name, ' ', "
            + "coalesce(a.attributes ->> 'displayName', ''), ' ', coalesce(a.attributes #>> '{name,formatted}', ''), ' ', "
            + "coalesce(a.attributes #>> '{name,givenName}', ''), ' ', coalesce(a.attributes #>> '{name,familyName}', '')))";

    /** The members matching a search, in the list's order ({@code $1} organization; state, source, role or null). */
    private static final String SEARCH = " from member m join account a on a.id = m.account_id "
            + "where m.organization_id = $1 and ($2::text is null or m.state = $2) and ($3::text is null or m.source = $3) "
            + "and ($4::text is null or m.role = $4) and " + SEARCHED_TEXT + " like $5" + LikePatterns.ESCAPE;

    private final Memberships memberships;

    private final Clock clock;

    private final BoundedQueries queries;

    public AdminMembersResource(Memberships memberships, Clock clock, BoundedQueries queries) {
        this.memberships = memberships;
        this.clock = clock;
        this.queries = queries;
    }

    @GET
    @WithSession
    public Uni<Response> list(@PathParam("org") String org, @QueryParam("state") String state,
            @QueryParam("source") String source, @QueryParam("role") String role, @QueryParam("q") String search,
            @QueryParam("email") String email, @QueryParam("startIndex") @DefaultValue("1") int startIndex,
            @QueryParam("count") @DefaultValue("100") int count) {
        if (startIndex < 1 || count < 0 || count > 1000) {
            return AdminErrors.uni(400, "startIndex starts at 1; count is 0 to 1000");
        }
        if (search != null && !search.isBlank()) {
            return AdminLookups.withOrganization(org, organization -> search(organization, state, source, role,
                    search, startIndex, count));
        }
        return AdminLookups.withOrganization(org, organization -> {
            StringBuilder query = new StringBuilder("key.organizationId = :org");
            Parameters parameters = Parameters.with("org", organization.id);
            if (state != null) {
                query.append(" and state = :state");
                parameters.and("state", state.toLowerCase());
            }
            if (source != null) {
                query.append(" and source = :source");
                parameters.and("source", source.toLowerCase());
            }
            if (role != null) {
                query.append(" and role = :role");
                parameters.and("role", role.toLowerCase());
            }
            if (email != null) {
                // The member of that email, ignoring case: an account added by hand, or of a connection of the
                // organization - a union of two look-ups, each served by a userName index, then the member's key (a
                // "q" search of the email reads every member, and finds many whose emails contain it; an "or" of the
                // two would read every member too).
                query.append(" and key.accountId in (select a.id from AccountEntity a where a.connectionId is null "
                        + "and lower(a.userName) = lower(:email) union select a.id from AccountEntity a "
                        + "where a.connectionId in (select l.key.connectionId from ConnectionOrganizationEntity l "
                        + "where l.key.organizationId = :org) and lower(a.userName) = lower(:email))");
                parameters.and("email", email);
            }
            var members = MemberEntity.<MemberEntity>find(query + " order by createdAt, key.accountId", parameters);
            return members.count().chain(total -> count == 0
                    ? Uni.createFrom().item(new MemberPage(total, startIndex, 0, List.of()))
                    : members.range(startIndex - 1, startIndex - 2 + count).list()
                            .chain(page -> views(organization, page))
                            .map(views -> new MemberPage(total, startIndex, views.size(), views)))
                    .map(page -> Response.ok(page).build());
        });
    }

    /**
     * A search by email or name reads every member of the organization (a {@code like} on text no index holds), so
     * it runs as the SCIM filters that cost what their client likes do ({@link BoundedQueries}): in a turn, two
     * turns at most per organization, within the statement timeout. Found by trying (2026-12-05): 30 searches at
     * once with one organization admin's token over its 100,000 members took 7.9 s and slowed another tenant's SCIM
     * creates from 30 ms to 1.8 s.
     */
    private Uni<Response> search(OrganizationEntity organization, String state, String source, String role,
            String search, int startIndex, int count) {
        String pattern = "%" + LikePatterns.literal(CaseInsensitive.lower(search.strip())) + "%";
        // The count's parameters, then the page's: the same five and the window. Tuple.tuple(), not Tuple.of: the
        // filters left out are nulls.
        Supplier<Tuple> filter = () -> Tuple.tuple().addValue(organization.id).addValue(lower(state))
                .addValue(lower(source)).addValue(lower(role)).addValue(pattern);
        Uni<Response> answer = queries.<SearchPage>run(searchTurns(organization.name), sql -> sql
                        .preparedQuery("select count(*) as total" + SEARCH).execute(filter.get())
                        .chain(total -> sql.preparedQuery("select m.account_id" + SEARCH
                                        + " order by m.created_at, m.account_id offset $6 limit $7")
                                .execute(filter.get().addValue(startIndex - 1).addValue(count))
                                .map(rows -> {
                                    List<UUID> ids = new ArrayList<>();
                                    rows.forEach(row -> ids.add(row.getUUID("account_id")));
                                    return new SearchPage(total.iterator().next().getLong("total"), ids);
                                })))
                .chain(found -> (found.accountIds().isEmpty() ? Uni.createFrom().item(List.<MemberEntity>of())
                                : MemberEntity.<MemberEntity>list("key.organizationId = ?1 and key.accountId in ?2",
                                        organization.id, found.accountIds())
                                        .map(members -> inOrder(members, found.accountIds())))
                        .chain(page -> views(organization, page))
                        .map(views -> Response.ok(new MemberPage(found.total(), startIndex, views.size(), views))
                                .build()));
        return BoundedQueries.answeringRefusals(answer, (status, detail) -> AdminErrors.response(status, status == 429
                ? "as many member searches as may run for organization " + organization.name + " are running; "
                        + "try again in a moment"
                : "the search of organization " + organization.name + " ran out of time; search for more of the "
                        + "email or name, or narrow it by state, source or role"));
    }

    private record SearchPage(long total, List<UUID> accountIds) {
    }

    /** Whose turns an organization's searches take: named apart from the SCIM connections', which are ids. */
    static String searchTurns(String organization) {
        return "organization:" + organization;
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    private static List<MemberEntity> inOrder(List<MemberEntity> members, List<UUID> accountIds) {
        Map<UUID, MemberEntity> byAccount = members.stream().collect(Collectors.toMap(m -> m.key.accountId(), m -> m));
        return accountIds.stream().map(byAccount::get).filter(Objects::nonNull).toList();
    }

    /**
     * CSV of every member: email, name, role, state, source, teams, created. Streamed a page at a time in the order
     * of the organization's member index, one line per item (the stream writes items as they are), so that memory
     * and each statement stay bounded whatever the size of the organization. Found by trying (2026-12-05): the export
     * of a 100,000-member organization read them all at once, asked PostgreSQL for their accounts with 100,000
     * parameters (over its 65,535) and answered 500, after holding an event loop for 3.8 s.
     */
    @GET
    @Path("/export")
    @Produces("text/csv")
    public RestMulti<String> export(@PathParam("org") String org) {
        return RestMulti.fromUniResponse(Panache.withSession(() -> OrganizationEntity.findByName(org)),
                organization -> organization == null
                        ? Multi.createFrom().item(new String(ContractJson.write(new Problem(404, "organization '"
                                + org + "' not found")), StandardCharsets.UTF_8))
                        : Multi.createBy().concatenating().streams(
                                Multi.createFrom().item("email,name,role,state,source,teams,created\n"),
                                exportRows(organization)),
                organization -> organization == null
                        ? Map.of("Content-Type", List.of(MediaType.APPLICATION_JSON))
                        : Map.of("Content-Type", List.of("text/csv"), "Content-Disposition",
                                List.of("attachment; filename=\"" + org + "-members.csv\"")),
                organization -> organization == null ? 404 : 200);
    }

    private static Multi<String> exportRows(OrganizationEntity organization) {
        AtomicReference<MemberEntity> after = new AtomicReference<>();
        return Multi.createBy().repeating()
                .uni(() -> Panache.withSession(() -> membersAfter(organization, after.get())
                        .invoke(page -> after.set(page.isEmpty() ? null : page.get(page.size() - 1)))
                        .chain(page -> views(organization, page))))
                .until(List::isEmpty)
                .onItem().transformToIterable(views -> views.stream().map(view -> String.join(",",
                        CsvCell.of(view.email()), CsvCell.of(view.name()), view.role(), view.state(), view.source(),
                        CsvCell.of(String.join(";", view.teams())), view.created().toString()) + "\n").toList());
    }

    /**
     * The next {@link #EXPORT_PAGE} members after {@code last} (from the first when null), by the member index: a row
     * comparison, which PostgreSQL starts the index scan at (an "or" of the two columns it filters row by row).
     */
    private static Uni<List<MemberEntity>> membersAfter(OrganizationEntity organization, MemberEntity last) {
        String order = " order by createdAt, key.accountId";
        var page = last == null
                ? MemberEntity.<MemberEntity>find("key.organizationId = ?1" + order, organization.id)
                : MemberEntity.<MemberEntity>find("key.organizationId = ?1 and (createdAt, key.accountId) > (?2, ?3)"
                        + order, organization.id, last.createdAt, last.key.accountId());
        return page.range(0, EXPORT_PAGE - 1).list();
    }

    /**
     * A member added by hand: SCIM never changes or removes such members. An organization without a free seat
     * answers 409 with nothing written: the seat check comes after the account is made and a removal by hand is
     * lifted, so its failure ({@code Memberships.NoSeats}) leaves the transaction, rolling it back, and is answered
     * by {@link WriteRefusals#noSeats}.
     */
    @POST
    @WithTransaction
    public Uni<Response> add(@PathParam("org") String org, NewMember request) {
        if (request == null || request.email() == null || !request.email().contains("@")) {
            return AdminErrors.uni(400, "'email' is required");
        }
        Role role;
        try {
            role = request.role() == null ? Role.MEMBER : Role.fromWireName(request.role());
        } catch (IllegalArgumentException e) {
            return AdminErrors.uni(400, "'role' must be member, editor or owner");
        }
        Instant now = StoredTime.now(clock);
        String email = request.email().trim();
        // Whatever account holds the email - added by hand, provisioned by SCIM, joined at sign-in or by invitation -
        // a second one would list the same person twice, and only one of them would be the one that signs in.
        return AdminLookups.withOrganization(org, organization -> MemberEntity.ofAddress(organization.id, email)
                .firstResult()
                .chain(member -> member != null
                        ? AdminErrors.uni(409, email + " is already a member of " + org + " (source " + member.source
                                + ")")
                        : removedByAdmin(organization, email).chain(removed -> removed != null
                                ? addBack(organization, removed, role, now)
                                : AccountEntity.<AccountEntity>find("connectionId is null and lower(userName) = lower(?1)",
                                                email).firstResult()
                                        .chain(existing -> existing != null ? Uni.createFrom().item(existing)
                                                : manualAccount(email, now))
                                        .chain(account -> join(organization, account, role, MemberState.ACTIVE,
                                                MemberSource.MANUAL, null, now)))));
    }

    /**
     * Removal by hand works for every member, whatever added it, and sticks: the account of an IdP (SCIM, a JIT
     * sign-in, an accepted invitation) is kept out of the organization - neither the IdP's later updates, its groups
     * nor a sign-in place it there again (they did, so an emergency removal lasted until the IdP next mentioned the
     * person) - until an admin adds the person back. It withdraws the address's invitation to the organization too:
     * a pending one would otherwise bring the person back at their next sign-in.
     */
    @DELETE
    @Path("/{email}")
    @WithTransaction
    public Uni<Response> remove(@PathParam("org") String org, @PathParam("email") String email) {
        return AdminLookups.withOrganization(org, organization -> MemberEntity.ofAddress(organization.id, email).list()
                .chain(members -> {
                    if (members.isEmpty()) {
                        return AdminErrors.uni(404, email + " is not a member of " + org);
                    }
                    List<UUID> accounts = members.stream().map(m -> m.key.accountId()).toList();
                    return TeamMemberEntity.delete("key.accountId in ?1 and key.teamId in (select t.id from TeamEntity t "
                                    + "where t.organizationId = ?2)", accounts, organization.id)
                            .chain(() -> MemberEntity.delete("key.organizationId = ?1 and key.accountId in ?2",
                                    organization.id, accounts))
                            .chain(() -> InvitationEntity.delete("organizationId = ?1 and lower(email) = lower(?2)",
                                    organization.id, email))
                            .chain(() -> AccountEntity.<AccountEntity>list("id in ?1 and connectionId is not null",
                                    accounts))
                            .chain(provisioned -> {
                                Instant removedAt = StoredTime.now(clock);
                                return provisioned.isEmpty() ? Uni.createFrom().voidItem()
                                        : RemovedByAdminEntity.persist(provisioned.stream().map(account ->
                                                RemovedByAdminEntity.of(account.id, organization.id, removedAt))
                                                .toList());
                            })
                            .replaceWith(Response.noContent().build());
                }));
    }

    /** The IdP's account of this email an admin removed from the organization by hand, if any. */
    private static Uni<AccountEntity> removedByAdmin(OrganizationEntity organization, String email) {
        return AccountEntity.<AccountEntity>find("lower(userName) = lower(?1) and id in (select r.key.accountId "
                + "from RemovedByAdminEntity r where r.key.organizationId = ?2) order by active desc, createdAt",
                email, organization.id).firstResult();
    }

    /**
     * Added back after a removal by hand: the IdP's own account joins again, in the state the IdP gives it and as
     * its source (a SCIM member is the IdP's to change and remove again), and the IdP places it from now on.
     */
    private Uni<Response> addBack(OrganizationEntity organization, AccountEntity account, Role role, Instant now) {
        boolean scim = MemberSource.SCIM.wireName().equals(account.source);
        return RemovedByAdminEntity.delete("key.accountId = ?1 and key.organizationId = ?2", account.id,
                        organization.id)
                .chain(() -> join(organization, account, role, MemberState.of(account.active),
                        MemberSource.valueOf(account.source.toUpperCase(Locale.ROOT)), scim ? role.wireName() : null,
                        now));
    }

    private Uni<Response> join(OrganizationEntity organization, AccountEntity account, Role role, MemberState state,
            MemberSource source, String attributeRole, Instant now) {
        Uni<Void> seat = state == MemberState.ACTIVE ? memberships.requireSeat(organization)
                : Uni.createFrom().voidItem();
        return seat.chain(() -> {
            MemberEntity added = new MemberEntity();
            added.key = new MemberEntity.Key(account.id, organization.id);
            added.role = role.wireName();
            added.state = state.wireName();
            added.source = source.wireName();
            added.attributeRole = attributeRole;
            added.createdAt = now;
            return added.persist().chain(() -> views(organization, List.of(added)))
                    .map(views -> Response.status(201).entity(views.get(0)).build());
        });
    }

    private static Uni<AccountEntity> manualAccount(String email, Instant now) {
        return AccountEntity.notProvisioned(null, email, MemberSource.MANUAL.wireName(),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), now).persist();
    }

    private static Uni<List<MemberView>> views(OrganizationEntity organization, List<MemberEntity> members) {
        if (members.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<UUID> ids = members.stream().map(m -> m.key.accountId()).toList();
        return AccountEntity.<AccountEntity>list("id in ?1", ids).chain(accounts -> TeamMemberEntity
                .<TeamMemberEntity>list("key.accountId in ?1", ids).chain(teamMembers -> TeamEntity
                        .<TeamEntity>list("organizationId = ?1", organization.id).map(teams -> {
                            Map<UUID, AccountEntity> byId = accounts.stream()
                                    .collect(Collectors.toMap(a -> a.id, a -> a));
                            Map<UUID, String> teamNames = teams.stream().collect(Collectors.toMap(t -> t.id, t -> t.name));
                            Map<UUID, List<String>> teamsOf = new HashMap<>();
                            for (TeamMemberEntity teamMember : teamMembers) {
                                String team = teamNames.get(teamMember.key.teamId());
                                if (team != null) {
                                    teamsOf.computeIfAbsent(teamMember.key.accountId(), k -> new ArrayList<>()).add(team);
                                }
                            }
                            List<MemberView> views = new ArrayList<>();
                            for (MemberEntity member : members) {
                                AccountEntity account = byId.get(member.key.accountId());
                                views.add(new MemberView(account.userName, displayName(account), member.role,
                                        member.state, account.deactivatedAt, member.source,
                                        teamsOf.getOrDefault(account.id, List.of()).stream().sorted().toList(),
                                        member.createdAt));
                            }
                            return views;
                        })));
    }

    private static String displayName(AccountEntity account) {
        JsonNode attributes = account.attributes;
        if (attributes.hasNonNull("displayName")) {
            return attributes.get("displayName").asText();
        }
        JsonNode name = attributes.path("name");
        if (name.hasNonNull("formatted")) {
            return name.get("formatted").asText();
        }
        String joined = (name.path("givenName").asText("") + " " + name.path("familyName").asText("")).trim();
        return joined.isEmpty() ? null : joined;
    }
}
