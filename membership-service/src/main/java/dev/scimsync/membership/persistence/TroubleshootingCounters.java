package dev.scimsync.membership.persistence;

import dev.scimsync.contracts.TroubleshootingReport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sums of the gateways' troubleshooting reports (V18, V34): each report is added in one transaction of four
 * set-based upserts, whatever its size. A connection keeps at most {@code troubleshooting.max-unknown-attributes}
 * names: the names it has keep counting, new ones beyond are dropped (an IdP, or someone holding its token, cannot
 * grow the table without bound); likewise at most {@code troubleshooting.max-refused-resources} ids of users and
 * groups whose requests were refused while the connection's SCIM was off (the rest counted without the id).
 * Sightings of a deleted connection or token are dropped.
 */
@ApplicationScoped
public class TroubleshootingCounters {

    private static final String ADD_UNKNOWN_ATTRIBUTES = """
            with sent as (
                select connection_id, resource_type, left(name, 200) as name, min(kind) as kind, sum(count) as count,
                       min(first_seen) as first_seen, max(last_seen) as last_seen
                from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[],
                            $7::timestamptz[]) as s(connection_id, resource_type, name, kind, count, first_seen, last_seen)
                group by connection_id, resource_type, left(name, 200)
            ), known as (
                select s.*, exists (select 1 from unknown_attribute u where u.connection_id = s.connection_id
                                    and u.resource_type = s.resource_type and u.name = s.name) as stored
                from sent s join connection c on c.id = s.connection_id
            ), ranked as (
                select k.*, row_number() over (partition by k.connection_id, k.stored order by k.last_seen desc, k.name)
                            as rank,
                       (select count(*) from unknown_attribute u where u.connection_id = k.connection_id) as held
                from known k
            )
            insert into unknown_attribute (connection_id, resource_type, name, kind, count, first_seen, last_seen)
            select connection_id, resource_type, name, kind, count, first_seen, last_seen from ranked
            where stored or held + rank <= $8
            on conflict (connection_id, resource_type, name) do update set
                count = unknown_attribute.count + excluded.count,
                first_seen = least(unknown_attribute.first_seen, excluded.first_seen),
                last_seen = greatest(unknown_attribute.last_seen, excluded.last_seen)
            """;

    private static final String ADD_TOKEN_FAILURES = """
            with sent as (
                select token_id, sum(count) as count, min(first_seen) as first_seen, max(last_seen) as last_seen
                from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::timestamptz[])
                     as s(token_id, count, first_seen, last_seen)
                group by token_id
            )
            insert into scim_authentication_failure (token_id, connection_id, count, first_seen, last_seen)
            select s.token_id, t.connection_id, s.count, s.first_seen, s.last_seen
            from sent s join scim_token t on t.id = s.token_id
            on conflict (token_id) do update set
                count = scim_authentication_failure.count + excluded.count,
                first_seen = least(scim_authentication_failure.first_seen, excluded.first_seen),
                last_seen = greatest(scim_authentication_failure.last_seen, excluded.last_seen)
            """;

    private static final String ADD_UNATTRIBUTED = """
            insert into unattributed_authentication_failure (reason, count, first_seen, last_seen)
            select reason, sum(count), min(first_seen), max(last_seen)
            from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::timestamptz[])
                 as s(reason, count, first_seen, last_seen)
            group by reason
            on conflict (reason) do update set
                count = unattributed_authentication_failure.count + excluded.count,
                first_seen = least(unattributed_authentication_failure.first_seen, excluded.first_seen),
                last_seen = greatest(unattributed_authentication_failure.last_seen, excluded.last_seen)
            """;

    private static final String ADD_REFUSED_WHILE_SCIM_OFF = """
            with sent as (
                select connection_id, method, coalesce(resource_type, '') as resource_type,
                       coalesce(resource_id, '') as resource_id, sum(count) as count, min(first_seen) as first_seen,
                       max(last_seen) as last_seen
                from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::timestamptz[],
                            $7::timestamptz[])
                     as s(connection_id, method, resource_type, resource_id, count, first_seen, last_seen)
                group by 1, 2, 3, 4
            ), known as (
                select s.*, s.resource_id = '' or exists (select 1 from scim_off_refusal r
                            where r.connection_id = s.connection_id and r.method = s.method
                            and r.resource_type = s.resource_type and r.resource_id = s.resource_id) as stored
                from sent s join connection c on c.id = s.connection_id
            ), ranked as (
                select k.*, row_number() over (partition by k.connection_id, k.stored
                                               order by k.last_seen desc, k.resource_id) as rank,
                       (select count(*) from scim_off_refusal r where r.connection_id = k.connection_id
                                                                 and r.resource_id <> '') as held
                from known k
            ), admitted as (
                select connection_id, method, resource_type,
                       case when stored or held + rank <= $8 then resource_id else '' end as resource_id,
                       count, first_seen, last_seen
                from ranked
            )
            insert into scim_off_refusal (connection_id, method, resource_type, resource_id, count, first_seen,
                                          last_seen)
            select connection_id, method, resource_type, resource_id, sum(count), min(first_seen), max(last_seen)
            from admitted group by 1, 2, 3, 4
            on conflict (connection_id, method, resource_type, resource_id) do update set
                count = scim_off_refusal.count + excluded.count,
                first_seen = least(scim_off_refusal.first_seen, excluded.first_seen),
                last_seen = greatest(scim_off_refusal.last_seen, excluded.last_seen)
            """;

    /**
     * A connection's refusals while its SCIM was off, with the user each names as it is now (null: the request
     * named no user, or no user of the connection has that id any more).
     */
    private static final String REFUSED_WHILE_SCIM_OFF = """
            select r.method, r.resource_type, r.resource_id, r.count, r.first_seen, r.last_seen, a.user_name, a.active
            from scim_off_refusal r
            left join account a on r.resource_type = 'User' and a.connection_id = r.connection_id
                and a.id = case when r.resource_id ~ '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
                                then r.resource_id::uuid end
            where r.connection_id = $1
            order by r.last_seen desc, r.resource_type, r.resource_id, r.method
            """;

    public record Sighting(long count, Instant firstSeen, Instant lastSeen) {
    }

    public record UnknownAttribute(String resourceType, String name, String kind, Sighting seen) {
    }

    /** @param revokedAt null while the token is live */
    public record TokenFailures(String tokenId, Instant revokedAt, Sighting seen) {
    }

    public record Unattributed(String reason, Sighting seen) {
    }

    /**
     * @param resourceType {@code User}, {@code Group}, or null: the request named neither
     * @param resourceId   null: none named, or one counted past the bound
     * @param userName     of the user the id names now; null for a group, or a user this connection no longer has
     * @param userActive   that user's {@code active} now; null with {@code userName}
     */
    public record RefusedWhileScimOff(String method, String resourceType, String resourceId, String userName,
            Boolean userActive, Sighting seen) {
    }

    private final Pool pool;
    private final int maxUnknownAttributes;
    private final int maxRefusedResources;

    public TroubleshootingCounters(Pool pool,
            @ConfigProperty(name = "troubleshooting.max-unknown-attributes") int maxUnknownAttributes,
            @ConfigProperty(name = "troubleshooting.max-refused-resources") int maxRefusedResources) {
        this.pool = pool;
        this.maxUnknownAttributes = maxUnknownAttributes;
        this.maxRefusedResources = maxRefusedResources;
    }

    /** Adds a report (checked by the caller: ids are UUIDs, kinds, types and reasons are the contract's). */
    public Uni<Void> add(TroubleshootingReport report) {
        return pool.withTransaction(sql -> addUnknownAttributes(sql, report.unknownAttributes())
                .chain(() -> addTokenFailures(sql, report.failedAuthentications()))
                .chain(() -> addUnattributed(sql, report.unattributed()))
                .chain(() -> addRefusedWhileScimOff(sql, report.refusedWhileScimOff())));
    }

    private Uni<Void> addUnknownAttributes(SqlClient sql, List<TroubleshootingReport.UnknownAttribute> sent) {
        return upsert(sql, ADD_UNKNOWN_ATTRIBUTES, sent, rows -> List.<Object>of(
                column(rows, u -> UUID.fromString(u.connectionId()), UUID[]::new),
                column(rows, TroubleshootingReport.UnknownAttribute::resourceType, String[]::new),
                column(rows, TroubleshootingReport.UnknownAttribute::name, String[]::new),
                column(rows, TroubleshootingReport.UnknownAttribute::kind, String[]::new),
                column(rows, TroubleshootingReport.UnknownAttribute::count, Long[]::new),
                column(rows, u -> utc(u.firstSeen()), OffsetDateTime[]::new),
                column(rows, u -> utc(u.lastSeen()), OffsetDateTime[]::new),
                maxUnknownAttributes));
    }

    private Uni<Void> addTokenFailures(SqlClient sql, List<TroubleshootingReport.TokenFailures> sent) {
        return upsert(sql, ADD_TOKEN_FAILURES, sent, rows -> List.<Object>of(
                column(rows, TroubleshootingReport.TokenFailures::tokenId, String[]::new),
                column(rows, TroubleshootingReport.TokenFailures::count, Long[]::new),
                column(rows, t -> utc(t.firstSeen()), OffsetDateTime[]::new),
                column(rows, t -> utc(t.lastSeen()), OffsetDateTime[]::new)));
    }

    private Uni<Void> addUnattributed(SqlClient sql, List<TroubleshootingReport.UnattributedFailures> sent) {
        return upsert(sql, ADD_UNATTRIBUTED, sent, rows -> List.<Object>of(
                column(rows, TroubleshootingReport.UnattributedFailures::reason, String[]::new),
                column(rows, TroubleshootingReport.UnattributedFailures::count, Long[]::new),
                column(rows, u -> utc(u.firstSeen()), OffsetDateTime[]::new),
                column(rows, u -> utc(u.lastSeen()), OffsetDateTime[]::new)));
    }

    private Uni<Void> addRefusedWhileScimOff(SqlClient sql, List<TroubleshootingReport.RefusedWhileScimOff> sent) {
        return upsert(sql, ADD_REFUSED_WHILE_SCIM_OFF, sent, rows -> List.<Object>of(
                column(rows, r -> UUID.fromString(r.connectionId()), UUID[]::new),
                column(rows, TroubleshootingReport.RefusedWhileScimOff::method, String[]::new),
                column(rows, TroubleshootingReport.RefusedWhileScimOff::resourceType, String[]::new),
                column(rows, TroubleshootingReport.RefusedWhileScimOff::resourceId, String[]::new),
                column(rows, TroubleshootingReport.RefusedWhileScimOff::count, Long[]::new),
                column(rows, r -> utc(r.firstSeen()), OffsetDateTime[]::new),
                column(rows, r -> utc(r.lastSeen()), OffsetDateTime[]::new),
                maxRefusedResources));
    }

    /** One set-based statement over the rows sent; nothing when none were. */
    private static <T> Uni<Void> upsert(SqlClient sql, String statement, List<T> sent,
            Function<List<T>, List<Object>> parameters) {
        if (sent.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.preparedQuery(statement).execute(Tuple.from(parameters.apply(sent))).replaceWithVoid();
    }

    /** A connection's unknown attributes, the most recently seen first. */
    public Uni<List<UnknownAttribute>> unknownAttributes(UUID connectionId) {
        return pool.preparedQuery("select resource_type, name, kind, count, first_seen, last_seen from unknown_attribute "
                        + "where connection_id = $1 order by last_seen desc, resource_type, name")
                .execute(Tuple.of(connectionId))
                .map(rows -> {
                    List<UnknownAttribute> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new UnknownAttribute(row.getString("resource_type"),
                            row.getString("name"), row.getString("kind"), sighting(row))));
                    return found;
                });
    }

    /** The failed authentications with a connection's tokens, per token, the most recent first. */
    public Uni<List<TokenFailures>> failedAuthentications(UUID connectionId) {
        return pool.preparedQuery("select f.token_id, t.revoked_at, f.count, f.first_seen, f.last_seen "
                        + "from scim_authentication_failure f join scim_token t on t.id = f.token_id "
                        + "where f.connection_id = $1 order by f.last_seen desc")
                .execute(Tuple.of(connectionId))
                .map(rows -> {
                    List<TokenFailures> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new TokenFailures(row.getString("token_id"),
                            instant(row.getOffsetDateTime("revoked_at")), sighting(row))));
                    return found;
                });
    }

    /** The failed authentications that name no connection, per reason, the most recent first. */
    public Uni<List<Unattributed>> unattributed() {
        return pool.query("select reason, count, first_seen, last_seen from unattributed_authentication_failure "
                        + "order by last_seen desc")
                .execute()
                .map(rows -> {
                    List<Unattributed> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new Unattributed(row.getString("reason"), sighting(row))));
                    return found;
                });
    }

    /** The requests refused while the connection's SCIM was off, the most recently seen first. */
    public Uni<List<RefusedWhileScimOff>> refusedWhileScimOff(UUID connectionId) {
        return pool.preparedQuery(REFUSED_WHILE_SCIM_OFF).execute(Tuple.of(connectionId)).map(rows -> {
            List<RefusedWhileScimOff> found = new ArrayList<>();
            rows.forEach(row -> found.add(new RefusedWhileScimOff(row.getString("method"),
                    emptyAsNull(row.getString("resource_type")), emptyAsNull(row.getString("resource_id")),
                    row.getString("user_name"), row.getBoolean("active"), sighting(row))));
            return found;
        });
    }

    private static String emptyAsNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static Sighting sighting(Row row) {
        return new Sighting(row.getLong("count"), instant(row.getOffsetDateTime("first_seen")),
                instant(row.getOffsetDateTime("last_seen")));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant value) {
        return value.atOffset(ZoneOffset.UTC);
    }

    private static <T, C> C[] column(List<T> rows, Function<T, C> value, IntFunction<C[]> array) {
        return rows.stream().map(value).toArray(array);
    }
}
