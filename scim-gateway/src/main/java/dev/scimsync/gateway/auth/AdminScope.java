package dev.scimsync.gateway.auth;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What an admin may reach: the one place the rule is written, for the admin API proxy and the console alike
 * (pure Java: {@code AdminScopeTest} runs it without Quarkus). The operator reaches everything. An admin scoped to
 * an organization reaches that organization and the connections that provision into it alone:
 *
 * <ul>
 * <li>{@code organizations/{org}/**} of its own organization, but not its seat limit ({@code PATCH
 *     organizations/{org}}) and not issuing or revoking admin tokens (it may list its organization's tokens -
 *     ids, labels and last use, never a secret - to tell which names are in its audit log);</li>
 * <li>{@code connections/{name}/**} of a connection whose organizations are its own organization only (the
 *     caller looks the connection up and asks {@link #connectionFound}); creating one, or changing which
 *     organizations one serves, only into its own organization;</li>
 * <li>the lists of organizations and connections, narrowed to its own ({@code organization=<org>}, which
 *     membership-service understands);</li>
 * <li>{@code audit/**} only with one {@code connection} that is its own (not the {@code admin} chain of actions
 *     that name no connection, and not a single record by id);</li>
 * <li>nothing else: dead letters, creating organizations, the failed SCIM authentications that name no connection
 *     ({@code failed-authentications}: every tenant's traffic) and any path not listed are the operator's.</li>
 * </ul>
 *
 * A refusal is 403 and says why; a connection outside the scope is refused whether or not it exists, so a scoped
 * admin cannot learn other tenants' connection names by asking.
 */
public final class AdminScope {

    /** The chain of admin actions that name no connection (contracts {@code AdminAction.NO_CONNECTION}). */
    private static final String ADMIN_ACTIONS_CHAIN = "admin";

    public static final AdminScope OPERATOR = new AdminScope(null);

    private final String organization;

    private AdminScope(String organization) {
        this.organization = organization;
    }

    public static AdminScope organization(String organization) {
        if (organization == null || organization.isBlank()) {
            throw new IllegalArgumentException("a scoped admin's organization is named");
        }
        return new AdminScope(organization);
    }

    /** The organization this admin is scoped to; empty for the operator. */
    public Optional<String> scopedTo() {
        return Optional.ofNullable(organization);
    }

    public boolean isOperator() {
        return organization == null;
    }

    /** What the rule says about one admin call. */
    public sealed interface Decision permits Allowed, Refused, ConnectionToCheck {
    }

    /** Go ahead, with this query (the one asked for, or narrowed to the admin's organization). */
    public record Allowed(String rawQuery) implements Decision {
    }

    /** Answer {@code status} with this detail. */
    public record Refused(int status, String detail) implements Decision {
    }

    /** Allowed only if {@code connection} (a name or an id) is one of the admin's organization alone. */
    public record ConnectionToCheck(String connection, String rawQuery) implements Decision {
    }

    /**
     * The decision for a call to {@code rawPath} (relative to {@code /admin/v1/}, still encoded) with its query
     * (still encoded, may be null). {@code organizationsNamed} are the organizations a connection create or change
     * names in its body ({@code organizations} and {@code defaultOrganization}); null when the body could not be
     * read as a JSON object.
     */
    public Decision decide(String method, String rawPath, String rawQuery, Collection<String> organizationsNamed) {
        if (rawPath.indexOf(';') >= 0) {
            // The owning services drop a segment's ";..." (matrix parameters) before they route, so
            // "admin-tokens;x" would reach the endpoint that "admin-tokens" names - past every check below, and
            // under another action's name in the audit log. The admin API has none: refused for everyone.
            return new Refused(400, "'" + rawPath + "': the admin API takes no matrix parameters (';')");
        }
        if (isOperator()) {
            return new Allowed(rawQuery);
        }
        try {
            return scoped(method, rawPath, rawQuery, organizationsNamed);
        } catch (IllegalArgumentException malformed) {
            return new Refused(400, "'" + rawPath + "' or its query is not well percent-encoded");
        }
    }

    private Decision scoped(String method, String rawPath, String rawQuery, Collection<String> organizationsNamed) {
        List<String> segments = segments(rawPath);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return refused("'" + rawPath + "' is not a path an admin scoped to an organization may use");
            }
        }
        return switch (segments.get(0)) {
            case "organizations" -> organizations(method, segments, rawQuery);
            case "connections" -> connections(method, segments, rawQuery, organizationsNamed);
            case "audit" -> audit(segments, rawQuery);
            case "dead-letters" -> refused("dead letters are the operator's");
            default -> refused("'" + rawPath + "' is the operator's");
        };
    }

    /**
     * A connection-to-connection migration's {@code from} (the connection whose members it adopts, named in its
     * body) must be the admin's alone as well: adopting from a connection another organization shares would take
     * that organization's IdP's users away from it, and the answer would list a connection the admin cannot see.
     * The decision for such a call once its path was allowed; {@code allowed} itself for every other call.
     */
    public Decision adoptingFrom(String method, String rawPath, String from, Allowed allowed) {
        if (isOperator() || from == null || !method.equals("POST")) {
            return allowed;
        }
        List<String> segments = segments(rawPath);
        if (segments.size() != 4 || !segments.get(0).equals("connections") || !segments.get(2).equals("migrations")
                || !segments.get(3).equals("from-connection")) {
            return allowed;
        }
        return new ConnectionToCheck(from, allowed.rawQuery());
    }

    /** The decision once a {@link ConnectionToCheck}'s organizations are known ({@code null}: no such connection). */
    public Decision connectionFound(ConnectionToCheck check, Collection<String> connectionOrganizations) {
        if (connectionOrganizations != null && !connectionOrganizations.isEmpty()
                && connectionOrganizations.stream().allMatch(organization::equals)) {
            return new Allowed(check.rawQuery());
        }
        return refused("connection '" + check.connection() + "' is not a connection of organization '" + organization
                + "' alone");
    }

    private Decision organizations(String method, List<String> segments, String rawQuery) {
        if (segments.size() == 1) {
            return method.equals("GET") ? narrowedList() : refused("creating organizations is the operator's");
        }
        if (!segments.get(1).equals(organization)) {
            return refused("organization '" + segments.get(1) + "' is outside this admin's organization '"
                    + organization + "'");
        }
        if (segments.size() == 2 && !method.equals("GET")) {
            return refused("changing an organization's seat limit is the operator's");
        }
        if (segments.size() > 2 && segments.get(2).equals("admin-tokens")
                && !(segments.size() == 3 && method.equals("GET"))) {
            return refused("issuing and revoking admin tokens is the operator's");
        }
        return new Allowed(rawQuery);
    }

    private Decision connections(String method, List<String> segments, String rawQuery,
            Collection<String> organizationsNamed) {
        boolean changesOrganizations = (segments.size() == 1 && method.equals("POST"))
                || (segments.size() == 2 && method.equals("PATCH"));
        if (changesOrganizations && (organizationsNamed == null
                || !organizationsNamed.stream().allMatch(organization::equals))) {
            return refused("a connection of an admin scoped to organization '" + organization
                    + "' serves that organization only");
        }
        if (segments.size() == 1) {
            return method.equals("GET") ? narrowedList() : method.equals("POST") ? new Allowed(rawQuery)
                    : refused("'" + method + " connections' is the operator's");
        }
        return new ConnectionToCheck(segments.get(1), rawQuery);
    }

    private Decision audit(List<String> segments, String rawQuery) {
        if (segments.size() > 2 && segments.get(1).equals("records")) {
            return refused("a single audit record by id is the operator's; query a connection's records");
        }
        List<String> connections = queryValues(rawQuery, "connection");
        if (connections.size() != 1 || connections.get(0).isBlank()) {
            return refused("an admin scoped to organization '" + organization
                    + "' reads the audit log of one of its connections: add connection=<id>");
        }
        if (connections.get(0).equals(ADMIN_ACTIONS_CHAIN)) {
            return refused("the audit chain of admin actions that name no connection is the operator's");
        }
        return new ConnectionToCheck(connections.get(0), rawQuery);
    }

    /** A list narrowed to the admin's organization: whatever it asked for, only its own is listed. */
    private Allowed narrowedList() {
        return new Allowed("organization=" + URLEncoder.encode(organization, StandardCharsets.UTF_8));
    }

    private static Refused refused(String detail) {
        return new Refused(403, detail);
    }

    /**
     * The values of a query parameter as the owning services read it: their HTTP server (Vert.x, Netty's query
     * decoder) splits parameters at ';' as well as '&' and matches names whatever their case. Read otherwise,
     * {@code x=;connection=&connection=<own>} showed one own connection here and an empty one - no filter at all -
     * to audit-service.
     */
    private static List<String> queryValues(String rawQuery, String name) {
        List<String> values = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("[&;]")) {
            int equals = pair.indexOf('=');
            String key = decodeQuery(equals < 0 ? pair : pair.substring(0, equals));
            if (key.equalsIgnoreCase(name)) {
                values.add(equals < 0 ? "" : decodeQuery(pair.substring(equals + 1)));
            }
        }
        return values;
    }

    /** The path's segments, each decoded. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            segments.add(decode(raw));
        }
        return segments;
    }

    /** A path segment: '+' is itself in a path, not a space. */
    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String decodeQuery(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
