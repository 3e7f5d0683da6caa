package dev.scimsync.membership.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.UserCommand;
import dev.scimsync.membership.domain.UserCommandBatch;
import dev.scimsync.membership.messaging.ApprovalOutcomes;
import dev.scimsync.membership.messaging.CommandOutcomePublisher;
import dev.scimsync.membership.messaging.UserCommandApplier;
import dev.scimsync.runtime.Retry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The mass-deprovisioning guard of a connection (issue 21; docs/admin-guide.md): its threshold, and the
 * deactivations and removals it holds - listed, approved (applied in the order the IdP sent them) or rejected
 * (dropped; the IdP still believes them, and the admin fixes that in the IdP).
 */
@Path("/internal/v1/admin/connections/{name}")
public class AdminGuardResource {

    /**
     * The threshold: more than {@code percent} % of the SCIM members or more than {@code maxMembers} in the
     * window, but never fewer than {@code minMembers} let through.
     */
    public record GuardSettings(boolean enabled, int percent, int maxMembers, int minMembers, int windowMinutes) {
    }

    /** The settings, and where the window stands now. */
    public record GuardView(String connection, GuardSettings settings, long activeMembers, long deprovisionedInWindow,
            long held) {
    }

    public record HeldChangeView(String id, long seq, String memberId, String userName, String change,
            OffsetDateTime heldAt, String state, OffsetDateTime decidedAt) {
    }

    public record HeldChanges(String connection, long held, List<HeldChangeView> changes) {
    }

    public record Decision(int approved, int superseded, int rejected) {
    }

    private static final Set<String> STATES = Set.of("held", "approved", "rejected", "superseded");

    private final Pool pool;
    private final UserCommandApplier applier;
    private final CommandOutcomePublisher outcomes;
    private final ApprovalOutcomes approvalOutcomes;

    public AdminGuardResource(Pool pool, UserCommandApplier applier, CommandOutcomePublisher outcomes,
            ApprovalOutcomes approvalOutcomes) {
        this.pool = pool;
        this.applier = applier;
        this.outcomes = outcomes;
        this.approvalOutcomes = approvalOutcomes;
    }

    @GET
    @Path("/guard")
    public Uni<Response> guard(@PathParam("name") String name) {
        return withConnection(name, connection -> pool.preparedQuery("select * from connection_guard "
                        + "where connection_id = $1").execute(Tuple.of(connection))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return Response.ok(new GuardView(name, settings(row), row.getLong("active_members"),
                            row.getLong("deprovisioned"), row.getLong("held"))).build();
                }));
    }

    /** Changes the threshold; absent fields stay as they are. {@code {"enabled": false}} opts the connection out. */
    @PATCH
    @Path("/guard")
    public Uni<Response> updateGuard(@PathParam("name") String name, JsonNode request) {
        if (request == null || !request.isObject()) {
            return AdminErrors.uni(400, "send {\"enabled\": true|false, \"percent\": 0-100, \"maxMembers\": >= 0, "
                    + "\"minMembers\": >= 0, \"windowMinutes\": 1-1440}, any of them");
        }
        Boolean enabled = request.has("enabled") ? request.get("enabled").isBoolean()
                ? request.get("enabled").booleanValue() : null : null;
        if (request.has("enabled") && enabled == null) {
            return AdminErrors.uni(400, "'enabled' is true or false");
        }
        Integer percent = number(request, "percent");
        Integer maxMembers = number(request, "maxMembers");
        Integer minMembers = number(request, "minMembers");
        Integer window = number(request, "windowMinutes");
        if (percent != null && (percent < 0 || percent > 100) || request.has("percent") && percent == null) {
            return AdminErrors.uni(400, "'percent' is a whole number from 0 to 100");
        }
        if (maxMembers != null && maxMembers < 0 || request.has("maxMembers") && maxMembers == null) {
            return AdminErrors.uni(400, "'maxMembers' is a whole number, 0 or more");
        }
        if (minMembers != null && minMembers < 0 || request.has("minMembers") && minMembers == null) {
            return AdminErrors.uni(400, "'minMembers' is a whole number, 0 or more");
        }
        if (window != null && (window < 1 || window > 1440) || request.has("windowMinutes") && window == null) {
            return AdminErrors.uni(400, "'windowMinutes' is a whole number from 1 to 1440");
        }
        return withConnection(name, connection -> pool.preparedQuery("update connection set "
                        + "guard_enabled = coalesce($2, guard_enabled), guard_percent = coalesce($3, guard_percent), "
                        + "guard_max_members = coalesce($4, guard_max_members), "
                        + "guard_min_members = coalesce($5, guard_min_members), "
                        + "guard_window_minutes = coalesce($6, guard_window_minutes) where id = $1")
                .execute(Tuple.from(java.util.Arrays.asList(connection, enabled, percent, maxMembers, minMembers,
                        window)))
                .chain(() -> guard(name)));
    }

    @GET
    @Path("/held-changes")
    public Uni<Response> list(@PathParam("name") String name, @QueryParam("state") String state) {
        if (state != null && !STATES.contains(state)) {
            return AdminErrors.uni(400, "'state' is one of held, approved, rejected, superseded");
        }
        return withConnection(name, connection -> pool.preparedQuery("select id, seq, account_id, user_name, kind, "
                        + "held_at, state, decided_at from held_change where connection_id = $1 "
                        + "and ($2::text is null or state = $2) order by seq")
                .execute(Tuple.of(connection, state))
                .chain(rows -> {
                    List<HeldChangeView> changes = new ArrayList<>();
                    for (Row row : rows) {
                        changes.add(new HeldChangeView(row.getUUID("id").toString(), row.getLong("seq"),
                                row.getUUID("account_id").toString(), row.getString("user_name"), row.getString("kind"),
                                row.getOffsetDateTime("held_at"), row.getString("state"),
                                row.getOffsetDateTime("decided_at")));
                    }
                    // Counted apart: the list may be filtered to another state.
                    return pool.preparedQuery("select count(*) from held_change where connection_id = $1 "
                            + "and state = 'held'").execute(Tuple.of(connection))
                            .map(count -> Response.ok(new HeldChanges(name, count.iterator().next().getLong(0),
                                    changes)).build());
                }));
    }

    /**
     * Applies every held change of the connection, in the order the IdP sent them, each in the transaction that
     * marks it approved; a change whose user changed since it was held is superseded instead. Approving again
     * finds nothing held and changes nothing.
     */
    @POST
    @Path("/held-changes/approve")
    public Uni<Response> approve(@PathParam("name") String name) {
        return withConnection(name, connection -> pool.preparedQuery("select id, cast(command as text) as command "
                        + "from held_change where connection_id = $1 and state = 'held' order by seq")
                .execute(Tuple.of(connection))
                .chain(rows -> {
                    List<UserCommandBatch.Pending> approved = new ArrayList<>();
                    for (Row row : rows) {
                        UserCommand held = ContractJson.read(row.getString("command").getBytes(StandardCharsets.UTF_8),
                                UserCommand.class);
                        // A command of its own (the held one is answered already); its version is checked against
                        // the one the change was held at, not the If-Match the IdP sent.
                        approved.add(new UserCommandBatch.Pending(held.reissued(), null, row.getUUID("id")));
                    }
                    // Published as every applied command's outcome is: group-sync-service takes a deactivated or
                    // removed user out of its teams, and the audit records it. Waits out a broker outage like the
                    // command consumer; after a crash between the commit and the broker's acknowledgement,
                    // ApprovalOutcomes publishes what the approval applied (the changes remember their commands).
                    return applier.apply(approved).call(applied -> outcomes.publish(approved, applied)
                            .plug(Retry::untilItSucceeds)
                            .chain(() -> approvalOutcomes.published(approved.stream()
                                    .map(pending -> pending.command().commandId()).toList())));
                })
                .map(decided -> {
                    int applied = (int) decided.stream().filter(o -> o.status() == CommandOutcome.Status.APPLIED)
                            .count();
                    return Response.ok(new Decision(applied, decided.size() - applied, 0)).build();
                }));
    }

    /** Drops every held change of the connection: nothing is applied; the IdP must be put right by hand. */
    @POST
    @Path("/held-changes/reject")
    public Uni<Response> reject(@PathParam("name") String name) {
        return withConnection(name, connection -> pool.preparedQuery("update held_change set state = 'rejected', "
                        + "decided_at = now() where connection_id = $1 and state = 'held'")
                .execute(Tuple.of(connection))
                .map(rows -> Response.ok(new Decision(0, 0, rows.rowCount())).build()));
    }

    private Uni<Response> withConnection(String name, Function<UUID, Uni<Response>> action) {
        return pool.preparedQuery("select id from connection where name = $1").execute(Tuple.of(name))
                .chain(rows -> rows.size() == 0 ? AdminErrors.uni(404, "connection '" + name + "' does not exist")
                        : action.apply(rows.iterator().next().getUUID("id")));
    }

    private static GuardSettings settings(Row row) {
        return new GuardSettings(row.getBoolean("guard_enabled"), row.getInteger("guard_percent"),
                row.getInteger("guard_max_members"), row.getInteger("guard_min_members"),
                row.getInteger("guard_window_minutes"));
    }

    private static Integer number(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value != null && value.canConvertToInt() && value.isIntegralNumber() ? value.intValue() : null;
    }
}
