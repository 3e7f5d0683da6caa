package dev.scimsync.gateway.api;

import dev.scimsync.contracts.AdminAction;
import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.gateway.auth.AdminCaller;
import dev.scimsync.gateway.auth.ScimCredentialCache;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.runtime.StoredTime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The audit trail of admin writes: every admin request but a read (GET, HEAD, OPTIONS), through the admin API
 * or the console, is published on {@code admin.actions} once the owning service has answered, saying who
 * (the admin's name, never its token), what (the action, method, path and the status answered), when and from
 * where (client address, User-Agent, request id); audit-service records it in the audit log.
 *
 * <p>The record is sent after the answer, not before it: the write is already committed in the owning service,
 * so if Kafka does not take the record the action is logged at ERROR with every field (the operator's last
 * copy) and counted in {@code admin_actions_unaudited_total}; a gateway that dies between the answer and the
 * send loses the record.
 */
@ApplicationScoped
public class AdminActions {

    public static final String CHANNEL = "admin-actions";

    private static final Logger LOG = Logger.getLogger(AdminActions.class);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(3);

    private static final Pattern TOKEN_REVOCATION = Pattern.compile("connections/[^/]+/scim-tokens/([^/]+)");

    /** What each admin write is called in the audit log; a write not listed is {@code admin.<method>}. */
    private record Route(String method, Pattern path, String action) {
        static Route of(String method, String path, String action) {
            return new Route(method, Pattern.compile(path), action);
        }
    }

    private static final List<Route> ROUTES = List.of(
            Route.of("POST", "connections", "admin.connection.create"),
            Route.of("PATCH", "connections/[^/]+", "admin.connection.update"),
            Route.of("DELETE", "connections/[^/]+/organizations/[^/]+", "admin.connection.unlink"),
            Route.of("POST", "connections/[^/]+/scim-tokens", "admin.scim-token.issue"),
            Route.of("DELETE", TOKEN_REVOCATION.pattern(), "admin.scim-token.revoke"),
            Route.of("PUT", "connections/[^/]+/group-mappings/[^/]+", "admin.group-mapping.set"),
            Route.of("DELETE", "connections/[^/]+/group-mappings/[^/]+", "admin.group-mapping.delete"),
            Route.of("POST", "connections/[^/]+/migrations/jit-to-scim", "admin.migration.jit-to-scim"),
            Route.of("POST", "connections/[^/]+/migrations/from-connection", "admin.migration.from-connection"),
            Route.of("DELETE", "connections/[^/]+/migrations/from-connection", "admin.migration.from-connection.stop"),
            Route.of("POST", "connections/[^/]+/sign-ins", "admin.sign-in"),
            Route.of("PATCH", "connections/[^/]+/guard", "admin.guard.update"),
            Route.of("POST", "connections/[^/]+/held-changes/approve", "admin.guard.approve"),
            Route.of("POST", "connections/[^/]+/held-changes/reject", "admin.guard.reject"),
            Route.of("POST", "organizations", "admin.organization.create"),
            Route.of("PATCH", "organizations/[^/]+", "admin.organization.update"),
            Route.of("POST", "organizations/[^/]+/members", "admin.member.add"),
            Route.of("DELETE", "organizations/[^/]+/members/[^/]+", "admin.member.remove"),
            Route.of("POST", "organizations/[^/]+/invitations", "admin.invitation.create"),
            Route.of("DELETE", "organizations/[^/]+/invitations/[^/]+", "admin.invitation.revoke"),
            Route.of("POST", "organizations/[^/]+/admin-tokens", "admin.admin-token.issue"),
            Route.of("DELETE", "organizations/[^/]+/admin-tokens/[^/]+", "admin.admin-token.revoke"),
            Route.of("POST", "dead-letters/[^/]+/[^/]+/[^/]+/replay", "admin.dead-letter.replay"));

    private static final Pattern CONNECTION = Pattern.compile("connections/([^/]+)(/.*)?");
    private static final Pattern ORGANIZATION = Pattern.compile("organizations/([^/]+)(/.*)?");
    private static final String INTERNAL_PREFIX = "/internal/v1/admin/";

    private final AdminCaller caller;
    private final ScimCredentialCache credentials;
    private final MembershipClient membership;
    private final MutinyEmitter<Record<String, AdminAction>> actions;
    private final Counter unaudited;
    private final Clock clock;

    public AdminActions(AdminCaller caller, ScimCredentialCache credentials, @RestClient MembershipClient membership,
            @Channel(CHANNEL) MutinyEmitter<Record<String, AdminAction>> actions, MeterRegistry meters, Clock clock) {
        this.caller = caller;
        this.credentials = credentials;
        this.membership = membership;
        this.actions = actions;
        this.clock = clock;
        this.unaudited = Counter.builder("admin.actions.unaudited")
                .description("Admin writes whose audit record Kafka did not take (each logged at ERROR)")
                .register(meters);
    }

    /** An admin write on its way to its owner: who and what, taken from the request that asked for it. */
    public final class Pending {
        private final AdminCaller.Origin origin;
        private final String method;
        private final String rawPath;
        private final String rawQuery;
        private final Instant at = StoredTime.now(clock);

        private Pending(AdminCaller.Origin origin, String method, String rawPath, String rawQuery) {
            this.origin = origin;
            this.method = method;
            this.rawPath = rawPath;
            this.rawQuery = rawQuery;
        }

        /**
         * Publishes the action with the status its admin was answered with and, for a create, the Location the
         * owner answered with (its internal URL; only the admin path is kept). Never fails the caller.
         */
        public void answered(int status, String location) {
            if (method.equals("DELETE") && status >= 200 && status < 300) {
                // "Refused from now on", as the console says: this instance does not wait for scim.credentials.
                segmentAfter(TOKEN_REVOCATION, rawPath).ifPresent(credentials::revokedHere);
            }
            String created = location == null || !location.contains(INTERNAL_PREFIX) ? null
                    : location.substring(location.indexOf(INTERNAL_PREFIX) + INTERNAL_PREFIX.length());
            String connectionName = segmentAfter(CONNECTION, rawPath)
                    .or(() -> created == null ? Optional.empty() : segmentAfter(CONNECTION, created)).orElse(null);
            publish(status, created, connectionName, connectionId(connectionName));
        }

        /**
         * Publishes a call the gateway refused itself (out of the admin's scope, unstorable), never sent to its owner:
         * in the {@code admin} log, not the log of the connection its path names - an organization's admin would
         * otherwise write records, their query and User-Agent with them, into another organization's log at will.
         * The connection's name stays in the record.
         */
        public void refused(int status) {
            publish(status, null, segmentAfter(CONNECTION, rawPath).orElse(null), Uni.createFrom().nullItem());
        }

        private void publish(int status, String created, String connectionName, Uni<String> chainConnection) {
            chainConnection.map(connectionId -> new AdminAction(UUID.randomUUID(), at,
                            actionName(method, rawPath), origin.admin(), origin.via().name().toLowerCase(Locale.ROOT),
                            method, rawPath, rawQuery, created, connectionName, connectionId,
                            segmentAfter(ORGANIZATION, rawPath).orElse(null), status, origin.requestId(),
                            origin.clientAddress(), origin.userAgent()))
                    .chain(action -> actions.send(Record.of(action.chainKey(), action)).onFailure().invoke(failure -> {
                        unaudited.increment();
                        LOG.errorf(failure, "admin action NOT AUDITED (Kafka did not take it): %s", action);
                    }))
                    // Failures are logged above; the admin has had its answer already.
                    .onFailure().recoverWithNull()
                    .subscribe().with(sent -> LOG.debugf("admin action audited: %s %s", method, rawPath));
        }
    }

    /**
     * The pending audit record of an admin call (path relative to {@code /admin/v1/}, still encoded), or empty
     * for a read. Call it while the admin's request is being handled: that is where who and from where are.
     */
    public Optional<Pending> begin(HttpMethod method, String rawPath, String rawQuery) {
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS)) {
            return Optional.empty();
        }
        AdminCaller.Origin origin = caller.origin().orElseThrow(() -> new IllegalStateException(
                "an admin write outside an authenticated admin request"));
        return Optional.of(new Pending(origin, method.name(), rawPath,
                rawQuery == null || rawQuery.isEmpty() ? null : rawQuery));
    }

    static String actionName(String method, String rawPath) {
        return ROUTES.stream().filter(route -> route.method().equals(method) && route.path().matcher(rawPath).matches())
                .map(Route::action).findFirst().orElse("admin." + method.toLowerCase(Locale.ROOT));
    }

    private static Optional<String> segmentAfter(Pattern pattern, String rawPath) {
        Matcher matcher = pattern.matcher(rawPath);
        return matcher.matches()
                ? Optional.of(URLDecoder.decode(matcher.group(1).replace("+", "%2B"), StandardCharsets.UTF_8))
                : Optional.empty();
    }

    /** The id of a connection named in the path, so the action joins that connection's audit chain. */
    private Uni<String> connectionId(String connectionName) {
        if (connectionName == null) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().deferred(() -> membership.connection(connectionName))
                .map(answer -> answer.getStatus() == 200
                        ? answer.readEntity(ConnectionSummary.class).id() : null)
                .ifNoItem().after(LOOKUP_TIMEOUT).recoverWithItem(() -> null)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("admin action on connection '%s' recorded without its id: %s", connectionName, failure);
                    return null;
                });
    }
}
