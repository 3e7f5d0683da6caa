package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scimsync.contracts.CommandFailure;
import dev.scimsync.contracts.CommandOutcome;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.GroupCommand;
import dev.scimsync.contracts.GroupCommandType;
import dev.scimsync.contracts.GroupEdit;
import dev.scimsync.contracts.GroupMember;
import dev.scimsync.contracts.GroupSnapshot;
import dev.scimsync.contracts.UserSnapshot;
import dev.scimsync.contracts.internal.UserNameGroups;
import dev.scimsync.contracts.query.Criterion;
import dev.scimsync.contracts.query.GroupPage;
import dev.scimsync.contracts.query.ResourceQuery;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays group-sync-service for the gateway's tests: its internal HTTP API (group reads and queries, users'
 * groups, committed outcomes, the admin paths it owns) and the application of group commands. Members must
 * be users the fake membership-service created. A displayName starting with {@code silent-} commits without
 * publishing the outcome. Every request it serves is logged, and the log is served at {@code /fake/requests},
 * so tests can check what the gateway asked (e.g. {@code members=false}); {@code /fake/misnamed} makes it name another
 * user for a userName, as a directory that has not caught up with a rename would; {@code /fake/stall} makes it hold
 * users' groups lookups that long before answering, as a group-sync-service that has stopped answering would.
 */
final class FakeGroupSync {

    /** A stored group with its member ids. */
    private record Stored(GroupSnapshot group, Set<String> members) {
    }

    private final Map<String, UserSnapshot> users;
    private final Map<String, Stored> groups = new ConcurrentHashMap<>();
    private final Map<String, CommandOutcome> committed = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** userName (lower case) to the user id this fake names for it, set through {@code /fake/misnamed}. */
    private final Map<String, String> misnamed = new ConcurrentHashMap<>();
    /** How long users' groups lookups are held before they are answered, set through {@code /fake/stall}. */
    private volatile long stallMillis;
    private HttpServer http;

    FakeGroupSync(Map<String, UserSnapshot> users) {
        this.users = users;
    }

    String start() {
        try {
            http = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            GatewayTestInfrastructure.answerOnPoolThreads(http);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        http.createContext("/", this::serve);
        http.start();
        return "http://localhost:" + http.getAddress().getPort();
    }

    void stop() {
        if (http != null) {
            http.stop(0);
        }
    }

    /** Applies a command as group-sync-service would; the outcome is null for a command that stays silent. */
    synchronized Optional<CommandOutcome> apply(GroupCommand command) {
        CommandOutcome outcome = outcome(command);
        committed.put(command.commandId().toString(), outcome);
        boolean silent = outcome.group() != null && outcome.group().displayName().startsWith("silent-");
        return silent ? Optional.empty() : Optional.of(outcome);
    }

    private CommandOutcome outcome(GroupCommand command) {
        Stored current = command.groupId() == null ? null : groups.get(command.groupId());
        if (command.type() != GroupCommandType.CREATE
                && (current == null || !current.group().connectionId().equals(command.connectionId()))) {
            return rejected(command, CommandFailure.Reason.NOT_FOUND, "Group " + command.groupId() + " not found");
        }
        if (current != null && command.expectedVersion() != null
                && command.expectedVersion() != current.group().version()) {
            return rejected(command, CommandFailure.Reason.VERSION_MISMATCH, "Group " + command.groupId()
                    + " is at version " + current.group().version());
        }
        if (command.type() == GroupCommandType.DELETE) {
            groups.remove(command.groupId());
            return CommandOutcome.groupDeleted(command.commandId(), command.connectionId(), current.group());
        }
        // As group-sync-service: a change that takes members out is applied without the ids that are no users.
        // A create takes no one out: its member list (a replace edit) is refused whole, as an add is.
        boolean takesMembersOut = command.type() != GroupCommandType.CREATE && command.edits().stream()
                .anyMatch(e -> e.kind() == GroupEdit.Kind.REMOVE_MEMBERS || e.kind() == GroupEdit.Kind.REPLACE_MEMBERS);
        Set<String> strangers = new LinkedHashSet<>();
        for (String member : command.joiningMembers()) {
            UserSnapshot user = users.get(member);
            if (user == null || !user.connectionId().equals(command.connectionId())) {
                if (!takesMembersOut) {
                    return rejected(command, CommandFailure.Reason.INVALID_VALUE,
                            "member '" + member + "' is not a user of this connection");
                }
                strangers.add(member);
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String displayName = current == null ? null : current.group().displayName();
        String externalId = current == null || command.type() == GroupCommandType.REPLACE ? null
                : current.group().externalId();
        Set<String> members = current == null || command.type() == GroupCommandType.REPLACE ? new LinkedHashSet<>()
                : new LinkedHashSet<>(current.members());
        for (GroupEdit edit : command.edits()) {
            switch (edit.kind()) {
                case SET_DISPLAY_NAME -> displayName = edit.value();
                case SET_EXTERNAL_ID -> externalId = edit.value();
                case ADD_MEMBERS -> members.addAll(edit.members());
                case REMOVE_MEMBERS -> edit.members().forEach(members::remove);
                case REPLACE_MEMBERS -> {
                    members.clear();
                    members.addAll(edit.members());
                }
            }
        }
        members.removeAll(strangers);
        String id = current == null ? UUID.randomUUID().toString() : current.group().id();
        String name = displayName;
        boolean taken = groups.values().stream().anyMatch(other -> !other.group().id().equals(id)
                && other.group().connectionId().equals(command.connectionId())
                && other.group().displayName().equalsIgnoreCase(name));
        if (taken) {
            return rejected(command, CommandFailure.Reason.UNIQUENESS, "displayName '" + name + "' is already taken");
        }
        GroupSnapshot group = new GroupSnapshot(id, command.connectionId(), displayName, externalId, members.size(),
                current == null ? 1 : current.group().version() + 1, current == null ? now : current.group().created(),
                now);
        groups.put(id, new Stored(group, members));
        return CommandOutcome.applied(command.commandId(), command.connectionId(), group);
    }

    private static CommandOutcome rejected(GroupCommand command, CommandFailure.Reason reason, String detail) {
        return CommandOutcome.rejected(command.commandId(), command.connectionId(), new CommandFailure(reason, detail));
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        String[] parts = path.split("/");
        boolean members = "members=true".equals(query);
        try (exchange) {
            if (path.equals("/fake/requests")) {
                GatewayTestInfrastructure.json(exchange, 200, requests);
                return;
            }
            if (path.equals("/fake/misnamed")) {
                JsonNode misname = ContractJson.read(exchange.getRequestBody().readAllBytes(), JsonNode.class);
                misnamed.put(misname.path("userName").asText().toLowerCase(Locale.ROOT), misname.path("userId").asText());
                GatewayTestInfrastructure.json(exchange, 200, Map.of());
                return;
            }
            if (path.equals("/fake/stall")) {
                stallMillis = ContractJson.read(exchange.getRequestBody().readAllBytes(), JsonNode.class).path("millis").asLong();
                GatewayTestInfrastructure.json(exchange, 200, Map.of());
                return;
            }
            if (!GatewayTestInfrastructure.fromTheGateway(exchange, "group-sync-service")) {
                GatewayTestInfrastructure.json(exchange, 401, Map.of("status", 401, "detail", "service credentials required"));
                return;
            }
            requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.contains("/users/groups")) {
                hold(stallMillis);
            }
            if (path.startsWith("/internal/v1/admin/")) {
                GatewayTestInfrastructure.json(exchange, 200, Map.of("servedBy", "group-sync", "path", path));
            } else if (path.matches("/internal/v1/connections/[^/]+/groups/query")) {
                GatewayTestInfrastructure.json(exchange, 200, page(parts[4], ContractJson.read(body, ResourceQuery.class), members));
            } else if (path.matches("/internal/v1/connections/[^/]+/groups/[^/]+")) {
                Stored stored = groups.get(parts[6]);
                boolean visible = stored != null && stored.group().connectionId().equals(parts[4]);
                GatewayTestInfrastructure.json(exchange, visible ? 200 : 404, visible ? entry(stored, members) : Map.of());
            } else if (path.matches("/internal/v1/connections/[^/]+/users/groups-by-user-name")) {
                GatewayTestInfrastructure.json(exchange, 200, groupsOfUserName(parts[4],
                        ContractJson.read(body, UserNameGroups.Request.class).userName()));
            } else if (path.matches("/internal/v1/connections/[^/]+/users/groups")) {
                GatewayTestInfrastructure.json(exchange, 200, groupsOf(parts[4], ContractJson.read(body, JsonNode.class).path("userIds")));
            } else if (path.matches("/internal/v1/commands/[^/]+")) {
                CommandOutcome outcome = committed.get(parts[4]);
                GatewayTestInfrastructure.json(exchange, outcome != null ? 200 : 404, outcome != null ? outcome : Map.of());
            } else {
                GatewayTestInfrastructure.json(exchange, 404, Map.of());
            }
        }
    }

    private static void hold(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private GroupPage page(String connectionId, ResourceQuery query, boolean members) {
        List<Stored> matching = groups.values().stream()
                .filter(stored -> stored.group().connectionId().equals(connectionId))
                .filter(stored -> query.filter() == null || matches(stored, query.filter()))
                .sorted(Comparator.comparing((Stored stored) -> stored.group().created())
                        .thenComparing(stored -> stored.group().id()))
                .toList();
        // The default order as group-sync-service keeps it; a keyset page starts after its key.
        List<Stored> read = matching.stream()
                .filter(stored -> query.after() == null || GatewayTestInfrastructure.isAfter(
                        stored.group().created(), stored.group().id(), query.after()))
                .skip(query.startIndex() - 1L).limit(query.count() + 1L).toList();
        List<GroupPage.Entry> page = read.stream().limit(query.count()).map(stored -> entry(stored, members)).toList();
        return new GroupPage(matching.size(), page, read.size() > query.count());
    }

    /** The criteria the gateway's tests send; others match nothing. */
    private static boolean matches(Stored stored, Criterion criterion) {
        if (criterion instanceof Criterion.All all) {
            return all.criteria().stream().allMatch(c -> matches(stored, c));
        }
        if (criterion instanceof Criterion.Any any) {
            return any.criteria().stream().anyMatch(c -> matches(stored, c));
        }
        if (criterion instanceof Criterion.Not not) {
            return !matches(stored, not.criterion());
        }
        if (criterion instanceof Criterion.Present present) {
            return present.field().source() == dev.scimsync.contracts.query.Field.Source.MEMBER
                    && !stored.members().isEmpty();
        }
        if (criterion instanceof Criterion.Compare compare && compare.operator() == Criterion.Operator.EQ) {
            String value = String.valueOf(compare.value());
            return switch (compare.field().source()) {
                case ID -> stored.group().id().equals(value);
                case DISPLAY_NAME -> stored.group().displayName().toLowerCase(Locale.ROOT)
                        .equals(value.toLowerCase(Locale.ROOT));
                case EXTERNAL_ID -> value.equals(stored.group().externalId());
                case MEMBER -> stored.members().contains(value);
                default -> false;
            };
        }
        return false;
    }

    private GroupPage.Entry entry(Stored stored, boolean withMembers) {
        if (!withMembers) {
            return new GroupPage.Entry(stored.group(), null);
        }
        List<GroupMember> members = stored.members().stream().map(id -> new GroupMember(id,
                users.containsKey(id) ? users.get(id).profile().userName() : null)).toList();
        return new GroupPage.Entry(stored.group(), members);
    }

    /** As group-sync-service's directory names the user: the user of that name, or whom {@code /fake/misnamed} says. */
    private UserNameGroups groupsOfUserName(String connectionId, String userName) {
        String named = misnamed.get(userName.toLowerCase(Locale.ROOT));
        Optional<String> userId = named != null ? Optional.of(named) : users.values().stream()
                .filter(user -> user.connectionId().equals(connectionId)
                        && user.profile().userName().equalsIgnoreCase(userName))
                .map(UserSnapshot::id).findFirst();
        return userId.map(id -> new UserNameGroups(id, groupsOf(connectionId, List.of(id)).getOrDefault(id, List.of())))
                .orElse(UserNameGroups.UNKNOWN);
    }

    private Map<String, List<GroupMember>> groupsOf(String connectionId, JsonNode userIds) {
        List<String> ids = new ArrayList<>();
        userIds.forEach(userId -> ids.add(userId.asText()));
        return groupsOf(connectionId, ids);
    }

    private Map<String, List<GroupMember>> groupsOf(String connectionId, List<String> userIds) {
        Map<String, List<GroupMember>> groupsByUser = new LinkedHashMap<>();
        for (String userId : userIds) {
            List<GroupMember> of = new ArrayList<>();
            for (Stored stored : groups.values()) {
                if (stored.group().connectionId().equals(connectionId) && stored.members().contains(userId)) {
                    of.add(new GroupMember(stored.group().id(), stored.group().displayName()));
                }
            }
            if (!of.isEmpty()) {
                groupsByUser.put(userId, of);
            }
        }
        return groupsByUser;
    }
}
