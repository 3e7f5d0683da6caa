package dev.scimsync.groupsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.internal.ConnectionSummary;
import dev.scimsync.contracts.internal.DirectTeam;
import dev.scimsync.contracts.internal.KnownUser;
import dev.scimsync.testsupport.TestServiceTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * membership-service's internal API as group-sync uses it, over real HTTP, with state the tests set: the
 * connections (and linked organizations), their users, direct team placements, and the provisioning errors
 * group-sync reports.
 */
public class FakeMembership implements QuarkusTestResourceLifecycleManager {

    public record User(String id, String connectionId, String userName, boolean active, long version) {
    }

    public static final Map<String, ConnectionSummary> CONNECTIONS = new ConcurrentHashMap<>();
    public static final Map<String, User> USERS = new ConcurrentHashMap<>();
    /** Direct teams by organization; an organization absent here does not exist. */
    public static final Map<String, List<DirectTeam>> TEAMS = new ConcurrentHashMap<>();
    public static final List<JsonNode> ERRORS = new CopyOnWriteArrayList<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/internal/v1/", this::handle);
        server.start();
        return Map.of("quarkus.rest-client.membership.url", "http://localhost:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().substring("/internal/v1/".length()).split("/");
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            // As membership-service: only a calling service's token is answered, so these tests prove group-sync sends its own.
            if (!TestServiceTokens.verifiedCaller(exchange.getRequestHeaders().getFirst("Authorization"),
                    "membership-service").filter("group-sync-service"::equals).isPresent()) {
                answer(exchange, 401, Map.of("status", 401, "detail", "service credentials required"));
            } else if (path[0].equals("connections") && path.length == 2) {
                Optional<ConnectionSummary> connection = CONNECTIONS.values().stream()
                        .filter(c -> c.id().equals(path[1]) || c.name().equals(path[1])).findFirst();
                answer(exchange, connection.isPresent() ? 200 : 404, connection.orElse(null));
            } else if (path[0].equals("connections") && path.length == 4 && path[3].equals("lookup")) {
                JsonNode ids = ContractJson.mapper().readTree(body).path("ids");
                List<KnownUser> found = new ArrayList<>();
                ids.forEach(id -> Optional.ofNullable(USERS.get(id.asText()))
                        .filter(u -> u.connectionId().equals(path[1]))
                        .ifPresent(u -> found.add(new KnownUser(u.id(), u.userName(), u.active(), u.version()))));
                answer(exchange, 200, found);
            } else if (path[0].equals("connections") && path.length == 3 && path[2].equals("provisioning-errors")) {
                ERRORS.add(ContractJson.mapper().readTree(body));
                answer(exchange, 201, null);
            } else if (path[0].equals("organizations") && path.length == 3 && path[2].equals("teams")) {
                List<DirectTeam> teams = TEAMS.get(path[1]);
                answer(exchange, teams == null ? 404 : 200, teams);
            } else {
                answer(exchange, 404, null);
            }
        } catch (RuntimeException e) {
            answer(exchange, 500, Map.of("detail", String.valueOf(e)));
        }
    }

    private static void answer(HttpExchange exchange, int status, Object entity) throws IOException {
        byte[] json = entity == null ? new byte[0] : ContractJson.write(entity);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length == 0 ? -1 : json.length);
        if (json.length > 0) {
            exchange.getResponseBody().write(json);
        }
        exchange.close();
    }
}
