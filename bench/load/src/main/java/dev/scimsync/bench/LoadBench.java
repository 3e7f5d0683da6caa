package dev.scimsync.bench;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * IdP-shaped load against the running local stack, every phase in one run so the figures compare:
 * <ol>
 * <li>{@code sync}: an initial sync of N users over M connections the way Okta does it (look the userName
 * up, then create), closed loop with C clients: durable creates per second;</li>
 * <li>{@code ceiling}: PostgreSQL single-row transactional inserts with the same C clients, same database;</li>
 * <li>{@code open}: creates offered at a fixed rate (default 100/s), latency from when each was due;</li>
 * <li>{@code filter}: {@code userName eq} lookups at a fixed rate over the synced users;</li>
 * <li>{@code updates}: a PUT/PATCH mix with deactivations at a fixed rate;</li>
 * <li>{@code groups}: group pushes with large memberships, then membership PATCHes;</li>
 * <li>{@code noisy}: a quiet connection's latency alone, then beside a connection flooding the gateway.</li>
 * </ol>
 * Usage: {@code bench/load/run [--users N] [--connections M] [--clients C] [--rate R] [--seconds S]
 * [--phases sync,ceiling,open,filter,updates,groups,noisy]}.
 */
public final class LoadBench {

    private final Stack stack;
    private final Map<String, String> options;
    /** The report, printed as each phase finishes (so a long run shows its results as it goes). */
    private final Report report = new Report();

    private static final class Report {
        private final StringBuilder text = new StringBuilder();

        Report append(Object part) {
            text.append(part);
            System.out.print(part);
            System.out.flush();
            return this;
        }

        Report append(char part) {
            return append(String.valueOf(part));
        }

        Report append(long part) {
            return append(String.valueOf(part));
        }
    }
    private final List<String> tokens = new ArrayList<>();
    private final List<List<String>> userNames = new ArrayList<>();
    private final List<List<String>> userIds = new ArrayList<>();

    private LoadBench(Stack stack, Map<String, String> options) {
        this.stack = stack;
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path env = Path.of(options.getOrDefault("env", ".stack/stack.env"));
        Stack stack = new Stack(env, Integer.parseInt(options.getOrDefault("postgres-port",
                System.getenv().getOrDefault("STACK_POSTGRES_PORT", "15432"))));
        LoadBench bench = new LoadBench(stack, options);
        bench.run();
        System.exit(0);
    }

    private int option(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        int users = option("users", 100_000);
        int connections = option("connections", 10);
        int clients = option("clients", 32);
        int rate = option("rate", 100);
        int seconds = option("seconds", 30);
        List<String> phases = List.of(options.getOrDefault("phases", "sync,ceiling,open,filter,updates,groups,noisy")
                .split(","));
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (int c = 0; c < connections; c++) {
            tokens.add(stack.tenant("bench-" + run + "-" + c));
            userNames.add(new ArrayList<>());
            userIds.add(new ArrayList<>());
        }
        report.append("# Load benchmark ").append(run).append(": ").append(users).append(" users over ")
                .append(connections).append(" connections, ").append(clients).append(" clients, open-loop rate ")
                .append(rate).append("/s for ").append(seconds).append(" s per phase\n\n");
        double createsPerSecond = 0;
        if (phases.contains("sync")) {
            createsPerSecond = sync(run, users, connections, clients);
        }
        if (phases.contains("ceiling")) {
            double ceiling = Ceiling.insertsPerSecond(stack.postgresPort, clients, Duration.ofSeconds(Math.min(seconds, 20)));
            report.append(String.format("## Ceiling%nPostgreSQL single-row transactional inserts, %d clients: %.0f/s%n",
                    clients, ceiling));
            if (createsPerSecond > 0) {
                report.append(String.format("Durable SCIM creates ÷ ceiling: %.0f ÷ %.0f = **%.2f**%n%n",
                        createsPerSecond, ceiling, createsPerSecond / ceiling));
            }
        }
        if (phases.contains("open")) {
            openCreates(run, rate, seconds);
        }
        if (phases.contains("filter")) {
            filters(rate * 2, seconds);
        }
        if (phases.contains("updates")) {
            updates(rate, seconds);
        }
        if (phases.contains("groups")) {
            groups(run);
        }
        if (phases.contains("noisy")) {
            noisy(run, clients, seconds);
        }
    }

    /** Okta's initial sync: for each user, {@code GET /Users?filter=userName eq}, then {@code POST /Users}. */
    private double sync(String run, int users, int connections, int clients) throws Exception {
        Latencies lookups = new Latencies("lookup (userName eq, not found)");
        Latencies creates = new Latencies("create");
        Latencies pairs = new Latencies("lookup + create");
        Processes processes = new Processes();
        processes.start();
        long elapsed = Loops.closedLoop(clients, users, pairs, i -> {
            int connection = (int) (i % connections);
            String token = tokens.get(connection);
            String userName = "u" + i + "-" + run + "@bench.test";
            long began = System.nanoTime();
            HttpResponse<String> lookup = stack.scimNow(token, "GET", Stack.filterPath(userName), null);
            lookups.record((System.nanoTime() - began) / 1000, lookup.statusCode());
            long posted = System.nanoTime();
            HttpResponse<String> created = stack.scimNow(token, "POST", "/Users", Stack.userBody(userName, true));
            creates.record((System.nanoTime() - posted) / 1000, created.statusCode());
            if (created.statusCode() == 201) {
                synchronized (userIds) {
                    userNames.get(connection).add(userName);
                    userIds.get(connection).add(Stack.id(created));
                }
            }
            return created.statusCode();
        });
        String resources = processes.stop();
        double seconds = elapsed / 1e9;
        double rate = creates.count(201) / seconds;
        report.append(String.format("## Initial sync (closed loop, %d clients)%n%d users created in %.1f s: **%.0f "
                + "durable creates/s** (each answered 201 after its outcome was committed)%n%n", clients,
                creates.count(201), seconds, rate));
        report.append(Latencies.header()).append('\n').append(lookups.row()).append('\n').append(creates.row())
                .append('\n').append(pairs.row()).append("\n\n");
        report.append("Resources during the sync:\n\n").append(resources).append('\n');
        return rate;
    }

    /** Creates offered at a fixed rate, each timed from when it was due. */
    private void openCreates(String run, int rate, int seconds) throws Exception {
        Latencies creates = new Latencies("create at " + rate + "/s");
        String token = tokens.get(0);
        Loops.openLoop(rate, Duration.ofSeconds(seconds), 1000, creates,
                i -> stack.scim(token, "POST", "/Users", Stack.userBody("open" + i + "-" + run + "@bench.test", true))
                        .thenApply(HttpResponse::statusCode));
        report.append(String.format("## Creates at a fixed rate (open loop, corrected for coordinated omission)%n%n"))
                .append(Latencies.header()).append('\n').append(creates.row()).append("\n\n");
    }

    /** {@code userName eq} lookups of existing users, across all connections. */
    private void filters(int rate, int seconds) throws Exception {
        int known = userNames.stream().mapToInt(List::size).sum();
        if (known == 0) {
            return;
        }
        Latencies filters = new Latencies("userName eq (found) at " + rate + "/s over " + known + " users");
        Loops.openLoop(rate, Duration.ofSeconds(seconds), 1000, filters, i -> {
            int connection = (int) (i % tokens.size());
            List<String> names = userNames.get(connection);
            String userName = names.get(ThreadLocalRandom.current().nextInt(names.size()));
            return stack.scim(tokens.get(connection), "GET", Stack.filterPath(userName), null)
                    .thenApply(HttpResponse::statusCode);
        });
        report.append(String.format("## Filter lookups (open loop)%n%n")).append(Latencies.header()).append('\n')
                .append(filters.row()).append("\n\n");
    }

    /** Steady changes: PUT of the profile, PATCH of a name, and deactivations, in a 45/45/10 mix. */
    private void updates(int rate, int seconds) throws Exception {
        if (userIds.get(0).isEmpty()) {
            return;
        }
        Latencies puts = new Latencies("PUT profile");
        Latencies patches = new Latencies("PATCH name");
        Latencies deactivations = new Latencies("PATCH active=false");
        Latencies all = new Latencies("all updates at " + rate + "/s");
        Loops.openLoop(rate, Duration.ofSeconds(seconds), 1000, all, i -> {
            int connection = (int) (i % tokens.size());
            int index = ThreadLocalRandom.current().nextInt(userIds.get(connection).size());
            String id = userIds.get(connection).get(index);
            String userName = userNames.get(connection).get(index);
            String token = tokens.get(connection);
            long began = System.nanoTime();
            int kind = (int) (i % 20);
            Latencies target = kind < 9 ? puts : kind < 18 ? patches : deactivations;
            String body = kind < 9 ? Stack.userBody(userName, true)
                    : "{\"schemas\":[\"" + Stack.PATCH + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":"
                            + (kind < 18 ? "\"name.givenName\",\"value\":\"Changed" + i + "\"" : "\"active\",\"value\":false")
                            + "}]}";
            return stack.scim(token, kind < 9 ? "PUT" : "PATCH", "/Users/" + id, body).thenApply(response -> {
                target.record((System.nanoTime() - began) / 1000, response.statusCode());
                return response.statusCode();
            });
        });
        report.append(String.format("## Steady updates (open loop; per kind timed from sending)%n%n"))
                .append(Latencies.header()).append('\n').append(all.row()).append('\n').append(puts.row()).append('\n')
                .append(patches.row()).append('\n').append(deactivations.row()).append("\n\n");
    }

    /** Group pushes: groups created with 1,000 members each, then members added and removed in batches of 100. */
    private void groups(String run) {
        List<String> ids = userIds.get(0);
        if (ids.size() < 1000) {
            return;
        }
        Latencies pushes = new Latencies("POST group, 1,000 members");
        Latencies adds = new Latencies("PATCH add 100 members");
        Latencies removes = new Latencies("PATCH remove 100 members");
        String token = tokens.get(0);
        for (int g = 0; g < 10; g++) {
            List<String> members = ids.subList(0, 1000);
            long began = System.nanoTime();
            HttpResponse<String> created = stack.scimNow(token, "POST", "/Groups", "{\"schemas\":[\"" + Stack.GROUP
                    + "\"],\"displayName\":\"bench-" + run + "-" + g + "\",\"members\":" + members(members) + "}");
            pushes.record((System.nanoTime() - began) / 1000, created.statusCode());
            if (created.statusCode() != 201) {
                continue;
            }
            String id = Stack.id(created);
            for (int batch = 0; batch < 5 && ids.size() >= 1000 + (batch + 1) * 100; batch++) {
                List<String> more = ids.subList(1000 + batch * 100, 1000 + (batch + 1) * 100);
                for (String op : List.of("add", "remove")) {
                    long patched = System.nanoTime();
                    String operation = op.equals("add")
                            ? "{\"op\":\"add\",\"path\":\"members\",\"value\":" + members(more) + "}"
                            : removal(more);
                    HttpResponse<String> answer = stack.scimNow(token, "PATCH", "/Groups/" + id,
                            "{\"schemas\":[\"" + Stack.PATCH + "\"],\"Operations\":[" + operation + "]}");
                    (op.equals("add") ? adds : removes).record((System.nanoTime() - patched) / 1000, answer.statusCode());
                }
            }
        }
        report.append(String.format("## Group pushes (one at a time)%n%n")).append(Latencies.header()).append('\n')
                .append(pushes.row()).append('\n').append(adds.row()).append('\n').append(removes.row()).append("\n\n");
    }

    private static String members(List<String> ids) {
        StringBuilder json = new StringBuilder("[");
        for (String id : ids) {
            json.append(json.length() == 1 ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
        }
        return json.append(']').toString();
    }

    /** Entra ID's way: one remove operation per member, {@code members[value eq "id"]}. */
    private static String removal(List<String> ids) {
        StringBuilder operations = new StringBuilder();
        for (String id : ids) {
            operations.append(operations.length() == 0 ? "" : ",").append("{\"op\":\"remove\",\"path\":\"members[value eq \\\"")
                    .append(id).append("\\\"]\"}");
        }
        return operations.toString();
    }

    /**
     * Noisy neighbour: a quiet connection reads at 20/s alone, then again while another connection floods
     * the gateway with C clients; the quiet one's p99 is compared. The flood meets the rate limit (429).
     */
    private void noisy(String run, int clients, int seconds) throws Exception {
        String quietToken = stack.tenant("bench-" + run + "-quiet");
        String noisyToken = stack.tenant("bench-" + run + "-noisy");
        for (int i = 0; i < 20; i++) {
            stack.scimNow(quietToken, "POST", "/Users", Stack.userBody("quiet" + i + "-" + run + "@bench.test", true));
        }
        Latencies alone = new Latencies("quiet tenant alone, 20/s");
        Loops.openLoop(20, Duration.ofSeconds(seconds), 100, alone,
                i -> stack.scim(quietToken, "GET", "/Users?count=10", null).thenApply(HttpResponse::statusCode));
        Latencies beside = new Latencies("quiet tenant beside the flood, 20/s");
        Latencies flood = new Latencies("noisy tenant, " + clients + " clients flat out");
        Thread flooding = new Thread(() -> {
            try {
                Loops.closedLoopFor(clients, Duration.ofSeconds(seconds + 2), flood,
                        client -> stack.scimNow(noisyToken, "GET", "/Users?count=10", null).statusCode());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        flooding.start();
        Thread.sleep(1000);
        Loops.openLoop(20, Duration.ofSeconds(seconds), 100, beside,
                i -> stack.scim(quietToken, "GET", "/Users?count=10", null).thenApply(HttpResponse::statusCode));
        flooding.join();
        report.append(String.format("## Noisy neighbour (rate limit per connection)%n%n")).append(Latencies.header())
                .append('\n').append(alone.row()).append('\n').append(beside.row()).append('\n').append(flood.row())
                .append(String.format("%n%nQuiet tenant p99 beside the flood ÷ alone: **%.2f**%n%n",
                        beside.p99Millis() / alone.p99Millis()));
    }
}
