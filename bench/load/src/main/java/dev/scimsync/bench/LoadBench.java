package dev.scimsync.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * IdP-shaped load against the running local stack, every phase in one run so the figures compare:
 * <ol>
 * <li>{@code sync}: an initial sync of N users over M connections the way Okta does it (look the userName
 * up, then create), closed loop with C clients: durable creates per second, and per create the SQL
 * statements, WAL flushes, Kafka records, internal HTTP calls and CPU of every process (see
 * {@link PhaseCounters});</li>
 * <li>{@code after-sync}: {@code userName eq} lookups started the moment the sync ends, p99 per 10 s, beside a
 * request the gateway answers alone at a tenth of their rate (what a request's latency is on the machine then);</li>
 * <li>{@code sync1}: the same sync into one connection (one partition: the hardest case) with its own
 * fresh users, 16 clients unless {@code --sync1-clients};</li>
 * <li>{@code ceiling}: PostgreSQL single-row transactional inserts with the same clients, same database
 * (at the sync's and at sync1's concurrency);</li>
 * <li>{@code open}: creates offered at a fixed rate (default 100/s), latency from when each was due;</li>
 * <li>{@code filter}: {@code userName eq} lookups at a fixed rate over the synced users;</li>
 * <li>{@code updates}: a PUT/PATCH mix with deactivations at a fixed rate;</li>
 * <li>{@code groups}: group pushes with large memberships, then membership PATCHes;</li>
 * <li>{@code noisy}: a quiet connection's latency alone, then beside a connection flooding the gateway.</li>
 * </ol>
 * Usage: {@code bench/load/run [--users N] [--connections M] [--clients C] [--rate R] [--seconds S]
 * [--lookup-rate L (100)] [--sync1-users N1 (min(N, 10000))] [--sync1-clients C1 (16)]
 * [--after-sync-seconds A (60)] [--rate-limit-check on|off]
 * [--phases sync,after-sync,ceiling,sync1,open,filter,updates,groups,noisy]}.
 * The rate limit the gateway runs with is printed; a run whose phases it would throttle is refused (start
 * the stack with {@code SCIM_RATE_LIMIT_RPS=5000 SCIM_RATE_LIMIT_BURST=10000}, or
 * {@code SCIM_RATE_LIMIT_ENABLED=false}) unless {@code --rate-limit-check off}.
 */
public final class LoadBench {

    /** Issue 17's targets. */
    static final double TARGET_CREATES_PER_SECOND = 1000;
    static final double TARGET_CEILING_RATIO = 0.12;
    /** Issue 17: a fresh stack reaches its warm rate within this long; the sync's rate is counted per window. */
    static final int WARM_UP_SECONDS = 60;
    static final int RATE_WINDOW_SECONDS = 30;

    private final Stack stack;
    private final Map<String, String> options;
    /** The report, printed as each phase finishes (so a long run shows its results as it goes). */
    private final Report report = new Report();
    private final StackProcesses processes;
    private final RateLimitSetting rateLimit;
    private final String membershipJdbcUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final DatabaseCounters database;
    private final KafkaCounters kafka;
    private final String kafkaBootstrap;
    private final HttpCallCounters http;
    private final Optional<Long> postmaster;
    /** Issue 17's figures, in the order printed at the end. */
    private final Map<String, String[]> summary = new LinkedHashMap<>();

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
        Map<String, String> env = System.getenv();
        this.processes = StackProcesses.find(stack.gatewayPort);
        String gatewayCommand = processes.pids.getOrDefault("scim-gateway", List.of()).stream().findFirst()
                .flatMap(ProcessHandle::of).map(StackProcesses::commandLine).orElse("");
        this.rateLimit = processes.exact ? RateLimitSetting.from(processes.environments.get("scim-gateway"),
                gatewayCommand) : RateLimitSetting.unknown();
        int postgresPort = Integer.parseInt(options.getOrDefault("postgres-port",
                env.getOrDefault("STACK_POSTGRES_PORT", "15432")));
        this.membershipJdbcUrl = processes.variable("membership-service", "QUARKUS_DATASOURCE_JDBC_URL")
                .orElse("jdbc:postgresql://localhost:" + postgresPort + "/membership");
        this.databaseUser = processes.variable("membership-service", "QUARKUS_DATASOURCE_USERNAME").orElse("postgres");
        this.databasePassword = processes.variable("membership-service", "QUARKUS_DATASOURCE_PASSWORD")
                .orElse("postgres");
        this.database = new DatabaseCounters(membershipJdbcUrl.replaceFirst("/membership(\\?.*)?$", "/postgres$1"),
                databaseUser, databasePassword);
        this.postmaster = database.postmasterPid();
        String bootstrap = options.getOrDefault("kafka", processes.variable("scim-gateway", "KAFKA_BOOTSTRAP_SERVERS")
                .orElse("localhost:" + env.getOrDefault("STACK_KAFKA_PORT", "19092")));
        this.kafkaBootstrap = bootstrap;
        this.kafka = new KafkaCounters(bootstrap);
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("membership-service", processes.port("membership-service",
                Integer.parseInt(env.getOrDefault("STACK_MEMBERSHIP_PORT", "8081"))));
        ports.put("group-sync-service", processes.port("group-sync-service",
                Integer.parseInt(env.getOrDefault("STACK_GROUP_SYNC_PORT", "8082"))));
        ports.put("audit-service", processes.port("audit-service",
                Integer.parseInt(env.getOrDefault("STACK_AUDIT_PORT", "8083"))));
        ports.put("scim-gateway", stack.gatewayPort);
        this.http = new HttpCallCounters(ports);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path env = Path.of(options.getOrDefault("env", ".stack/stack.env"));
        Stack stack = Stack.of(env);
        LoadBench bench = new LoadBench(stack, options);
        int exit = bench.run();
        System.exit(exit);
    }

    private int option(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    private PhaseCounters counters() {
        return new PhaseCounters(database, kafka, http, new Processes(processes, postmaster));
    }

    private int run() throws Exception {
        int users = option("users", 100_000);
        int connections = option("connections", 10);
        int clients = option("clients", 32);
        int rate = option("rate", 100);
        int seconds = option("seconds", 30);
        int lookupRate = option("lookup-rate", 100);
        int sync1Users = option("sync1-users", Math.min(users, 10_000));
        int sync1Clients = option("sync1-clients", 16);
        int afterSyncSeconds = option("after-sync-seconds", 60);
        List<String> phases = List.of(options.getOrDefault("phases",
                "sync,after-sync,ceiling,floor,sync1,open,filter,updates,groups,noisy").split(","));
        String run = UUID.randomUUID().toString().substring(0, 6);
        report.append("# Load benchmark ").append(run).append(": ").append(users).append(" users over ")
                .append(connections).append(" connections, ").append(clients).append(" clients, open-loop rate ")
                .append(rate).append("/s for ").append(seconds).append(" s per phase, lookups at ").append(lookupRate)
                .append("/s\n\n");
        report.append("Rate limit the gateway runs with: **").append(rateLimit.describe()).append("**\n");
        report.append("Stack: gateway port ").append(stack.gatewayPort).append(", processes ")
                .append(processes.exact ? "of this stack only" : "matched by command line").append(", PostgreSQL ")
                .append(membershipJdbcUrl.replaceFirst("/membership.*$", "")).append(postmaster.map(p -> " (postmaster pid " + p + ")")
                        .orElse(" (not on this machine: its CPU is not counted)"))
                .append(", statements ").append(database.statementsUnavailable == null ? "counted (pg_stat_statements)"
                        : "n/a: " + database.statementsUnavailable).append("\n\n");

        // The limit must not shape what is measured: twice the target's requests must fit under it.
        List<String> throttled = new ArrayList<>();
        if (phases.contains("sync") && !rateLimit.allows(2 * TARGET_CREATES_PER_SECOND, connections)) {
            throttled.add(String.format("sync needs %.0f requests/s per connection (2 per create at 2 x %.0f creates/s over %d)",
                    4 * TARGET_CREATES_PER_SECOND / connections, TARGET_CREATES_PER_SECOND, connections));
        }
        if (phases.contains("sync1") && !rateLimit.allows(2 * TARGET_CREATES_PER_SECOND, 1)) {
            throttled.add(String.format("sync1 needs %.0f requests/s on its one connection", 4 * TARGET_CREATES_PER_SECOND));
        }
        if (phases.contains("open") && rateLimit.enabled() && (!rateLimit.known() || rateLimit.requestsPerSecond() < rate)) {
            throttled.add("open needs " + rate + " requests/s on one connection");
        }
        if (!throttled.isEmpty() && !"off".equals(options.get("rate-limit-check"))) {
            report.append("**Refused: the rate limit would throttle this run, or cannot be read**: ").append(String.join("; ", throttled))
                    .append(".\nStart the stack with a raised limit, e.g. `SCIM_RATE_LIMIT_RPS=5000 SCIM_RATE_LIMIT_BURST=10000 "
                            + "deploy/local/stack` (or `SCIM_RATE_LIMIT_ENABLED=false`), or pass `--rate-limit-check off`.\n");
            return 2;
        }
        if (phases.contains("noisy") && rateLimit.known() && (!rateLimit.enabled() || rateLimit.requestsPerSecond() > RateLimitSetting.DEFAULT_RPS)) {
            report.append("Note: the noisy phase measures the rate limit; with this setting it does not show the default's.\n\n");
        }

        for (int c = 0; c < connections; c++) {
            tokens.add(stack.tenant("bench-" + run + "-" + c));
            userNames.add(new ArrayList<>());
            userIds.add(new ArrayList<>());
        }
        summary.put("rate limit", new String[] {rateLimit.describe(), "raised for the run"});
        warmOpenLoopClient();
        SyncResult sync = null;
        if (phases.contains("sync")) {
            boolean afterSync = phases.contains("after-sync");
            sync = sync("Initial sync", run, "u", tokens, users, clients, !afterSync, true);
            if (afterSync) {
                afterSync(lookupRate, afterSyncSeconds);
            }
        }
        // The ceiling right after the sync (the sync's concurrency), then sync1 on a stack that had those seconds
        // to finish what the after-sync lookups left, then the ceiling at sync1's concurrency.
        if (phases.contains("ceiling")) {
            ceiling(clients, seconds, sync, "sync");
        }
        if (phases.contains("floor")) {
            floor(run, option("floor-users", Math.min(users, 10_000)), clients);
        }
        if (phases.contains("sync1")) {
            List<String> one = List.of(stack.tenant("bench-" + run + "-one"));
            SyncResult sync1 = sync("One connection (one partition)", run, "one", one, sync1Users, sync1Clients, true,
                    false);
            if (phases.contains("ceiling")) {
                if (sync1Clients != clients) {
                    ceiling(sync1Clients, seconds, sync1, "sync1");
                } else {
                    summary.put("sync1 creates ÷ ceiling (same concurrency)", new String[] {String.format("%.3f",
                            sync1.rate / ceilingAt.get(clients)), ""});
                }
            }
        }
        if (phases.contains("open")) {
            openCreates(run, rate, seconds);
        }
        if (phases.contains("filter")) {
            filters(lookupRate, seconds);
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
        report.append("## Issue 17: the figures side by side\n\n| | measured | target |\n|---|---|---|\n");
        summary.forEach((name, figure) -> report.append("| ").append(name).append(" | ").append(figure[0]).append(" | ")
                .append(figure[1]).append(" |\n"));
        report.append('\n');
        kafka.close();
        return 0;
    }

    private final Map<Integer, Double> ceilingAt = new HashMap<>();

    private void ceiling(int clients, int seconds, SyncResult sync, String phase) throws Exception {
        double ceiling = Ceiling.insertsPerSecond(membershipJdbcUrl, databaseUser, databasePassword, clients,
                Duration.ofSeconds(Math.min(seconds, 20)));
        ceilingAt.put(clients, ceiling);
        report.append(String.format("## Ceiling%nPostgreSQL single-row transactional inserts, %d clients: %.0f/s%n",
                clients, ceiling));
        summary.put("PostgreSQL ceiling, " + clients + " clients", new String[] {String.format("%.0f inserts/s", ceiling), ""});
        if (sync != null && sync.rate > 0) {
            report.append(String.format("Durable SCIM creates (%s) ÷ ceiling: %.0f ÷ %.0f = **%.3f**%n%n", phase,
                    sync.rate, ceiling, sync.rate / ceiling));
            summary.put(phase + " creates ÷ ceiling (same concurrency)", new String[] {String.format("%.3f", sync.rate / ceiling),
                    phase.equals("sync") ? ">= " + TARGET_CEILING_RATIO : ""});
        } else {
            report.append('\n');
        }
    }

    /** When the last sync's last answer arrived (System.nanoTime). */
    private long lastSyncAnswer;

    /** A sync's outcome. */
    private record SyncResult(double rate, long creates, double seconds, PhaseCounters.Result counters) {
    }

    /**
     * Okta's initial sync: for each user, {@code GET /Users?filter=userName eq}, then {@code POST /Users},
     * round robin over the given connections.
     *
     * @param settle   let the services finish queued work before reading the counters (not when a phase
     *                 must start right after)
     * @param remember keep the created users for the later phases (filter, updates, groups)
     */
    private SyncResult sync(String title, String run, String prefix, List<String> syncTokens, int users, int clients,
            boolean settle, boolean remember) throws Exception {
        int connections = syncTokens.size();
        Latencies lookups = new Latencies("lookup (userName eq, not found)");
        Latencies creates = new Latencies("create");
        Latencies pairs = new Latencies("lookup + create");
        PhaseCounters counters = counters();
        counters.start();
        CreateRate createRate = new CreateRate(RATE_WINDOW_SECONDS, System.nanoTime());
        long elapsed = lookupAndCreate(stack, syncTokens, prefix + "%d-" + run + "@bench.test", users, clients, lookups,
                creates, pairs, (connection, userName, created) -> {
                    createRate.created(System.nanoTime());
                    if (remember) {
                        synchronized (userIds) {
                            userNames.get(connection).add(userName);
                            userIds.get(connection).add(Stack.id(created));
                        }
                    }
                });
        lastSyncAnswer = System.nanoTime();
        long created = creates.count(201);
        PhaseCounters.Result result = counters.stop(created, settle);
        double seconds = elapsed / 1e9;
        double rate = created / seconds;
        long unavailable = creates.count(503) + lookups.count(503);
        report.append(String.format("## %s (closed loop, %d users over %d connection%s, %d clients)%n%d users created in "
                + "%.1f s: **%.0f durable creates/s** (each answered 201 after its outcome was committed); "
                + "503 answers: **%d** (must be 0), 429: %d%n%n", title, users, connections, connections == 1 ? "" : "s",
                clients, created, seconds, rate, unavailable, creates.count(429) + lookups.count(429)));
        report.append(Latencies.header()).append('\n').append(lookups.row()).append('\n').append(creates.row())
                .append('\n').append(pairs.row()).append("\n\n");
        CreateRate.WarmUp minutes = createRate.warmUp(WARM_UP_SECONDS / RATE_WINDOW_SECONDS);
        String warmUp = String.format("%.0f / %s", minutes.first(),
                Double.isNaN(minutes.fastest()) ? "n/a (too short)" : String.format("%.0f", minutes.fastest()));
        report.append("Durable creates/s per ").append(RATE_WINDOW_SECONDS).append(" s, by when each 201 arrived: ")
                .append(createRate.row()).append("; the first ").append(WARM_UP_SECONDS).append(" s / the fastest ")
                .append(WARM_UP_SECONDS).append(" s: ").append(warmUp).append("\n\n");
        report.append(PhaseCounters.report(result));
        String key = prefix.equals("u") ? "sync" : "sync1";
        summary.put(key + ": durable creates/s (" + users + " users, " + connections + " connection"
                + (connections == 1 ? "" : "s") + ", " + clients + " clients)",
                new String[] {String.format("%.0f", rate), key.equals("sync") ? ">= " + (int) TARGET_CREATES_PER_SECOND : ""});
        summary.put(key + ": duration / 503 answers", new String[] {String.format("%.1f s / %d", seconds, unavailable),
                "/ 0"});
        summary.put(key + ": creates/s in the first " + WARM_UP_SECONDS + " s / the fastest " + WARM_UP_SECONDS + " s",
                new String[] {warmUp, key.equals("sync") ? "the warm rate within " + WARM_UP_SECONDS + " s" : ""});
        summary.put(key + ": SQL statements per create", new String[] {Deltas.perCreate(result.statements(), created),
                "<= " + (int) PhaseCounters.TARGET_STATEMENTS});
        summary.put(key + ": WAL flushes per create", new String[] {Deltas.perCreate(result.walSync(), created),
                "<= " + PhaseCounters.TARGET_WAL_FLUSHES});
        summary.put(key + ": Kafka records per create", new String[] {Deltas.perCreate(result.kafkaRecords(), created), ""});
        summary.put(key + ": internal HTTP calls per create", new String[] {Deltas.perCreate(result.internalHttp(), created),
                "" + (int) PhaseCounters.TARGET_INTERNAL_HTTP});
        return new SyncResult(rate, created, seconds, result);
    }

    /**
     * What the shape itself costs on this machine, beside what the stack costs: the same lookup + create loop
     * (users over the run's connections, the same clients), first against the stack, then against {@link
     * ShapeFloor} - the shape with none of the product in it, its two JVMs started with the services' JVM options on
     * the same Kafka and PostgreSQL. CPU of every process on each side, the load generator's included.
     */
    private void floor(String run, int users, int clients) throws Exception {
        List<String> jvmOptions = processes.pids.getOrDefault("scim-gateway", List.of()).stream().findFirst()
                .flatMap(ProcessHandle::of).flatMap(p -> p.info().arguments()).map(List::of).orElse(List.of()).stream()
                .filter(argument -> argument.startsWith("-X")).toList();
        List<String> floorTokens = new ArrayList<>();
        for (int c = 0; c < tokens.size(); c++) {
            floorTokens.add("floor-" + c);
        }
        Path logs = Path.of(System.getProperty("java.io.tmpdir"));
        try (ShapeFloor.Running floor = ShapeFloor.start(kafkaBootstrap, membershipJdbcUrl, databaseUser, databasePassword,
                run, jvmOptions, logs)) {
            Stack bare = Stack.scimOnly(floor.scimBaseUrl());
            int warmUsers = option("floor-warm-users", 20_000);
            Latencies warm = new Latencies("warm-up");
            lookupAndCreate(bare, floorTokens, "w%d-" + run + "@floor.test", warmUsers, clients, warm, warm,
                    new Latencies("warm-up"), (connection, userName, answer) -> { });

            Processes stackProcesses = new Processes(processes, postmaster);
            PhaseCounters counters = new PhaseCounters(database, kafka, http, stackProcesses);
            Side stackSide = side("the stack", stack, tokens, "f%d-" + run + "@bench.test", users, clients,
                    true, counters::start, created -> PhaseCounters.report(counters.stop(created, true)), stackProcesses);
            // The create path alone on both sides too: the lookup's share of each side's cost is then the difference.
            Side stackCreates = side("the stack", stack, tokens, "c%d-" + run + "@bench.test", users, clients, false,
                    counters::start, created -> PhaseCounters.report(counters.stop(created, true)), stackProcesses);

            Map<String, List<Long>> named = new LinkedHashMap<>(floor.processes());
            named.put("kafka", processes.pids.getOrDefault("kafka", List.of()));
            // Counted as the stack is (statements, WAL flushes, Kafka records), without waiting for idle services:
            // the floor has no work left once its last create is answered.
            Processes floorProcesses = new Processes(named, postmaster, "");
            PhaseCounters floorCounters = new PhaseCounters(database, kafka, http, floorProcesses);
            Side floorSide = side("the shape floor", bare, floorTokens, "f%d-" + run + "@floor.test", users, clients,
                    true, floorCounters::start, created -> PhaseCounters.report(floorCounters.stop(created, false)),
                    floorProcesses);
            Side floorCreates = side("the shape floor", bare, floorTokens, "c%d-" + run + "@floor.test", users, clients,
                    false, floorCounters::start, created -> PhaseCounters.report(floorCounters.stop(created, false)),
                    floorProcesses);
            long stored = floor.rowsEndingWith("-" + run + "@floor.test");
            if (stored != warmUsers + 2L * users) {
                throw new IllegalStateException("the shape floor answered " + (warmUsers + 2L * users) + " creates 201 "
                        + "but stored " + stored);
            }

            report.append(String.format("## The shape's floor (closed loop, %d users over %d connections, %d clients; "
                    + "the floor warmed by %d of its own first)%n%n", users, tokens.size(), clients, warmUsers));
            report.append("| | each client's loop | durable creates/s | CPU ms per create, all its processes |\n"
                    + "|---|---|---|---|\n");
            for (Side side : List.of(stackSide, stackCreates, floorSide, floorCreates)) {
                report.append(String.format("| %s | %s | %.0f | %.2f |%n", side.name, side.loop, side.rate, side.cpuMs));
            }
            int cores = Runtime.getRuntime().availableProcessors();
            report.append(String.format("%nThe stack costs **%.1f x** the bare shape (creates alone %.1f x); at the bare "
                    + "shape's cost this machine's %d cores would allow at most %.0f lookups + creates/s, %.0f creates "
                    + "alone.%n%n", stackSide.cpuMs / floorSide.cpuMs, stackCreates.cpuMs / floorCreates.cpuMs, cores,
                    1000.0 * cores / floorSide.cpuMs, 1000.0 * cores / floorCreates.cpuMs));
            report.append("### The stack\n\n").append(stackSide.detail).append("\n### The stack, creates alone\n\n")
                    .append(stackCreates.detail).append("\n### The shape floor\n\n")
                    .append(floorSide.detail).append("\n### The shape floor, creates alone\n\n").append(floorCreates.detail)
                    .append('\n');

            // Latency at fixed rates, each side alone on the machine in turn: creates on one connection, then
            // lookups of the users just created.
            int rate = option("rate", 100);
            int seconds = option("seconds", 30);
            int lookupRate = option("lookup-rate", 100);
            Latencies stackOpenCreates = openCreates(stack, tokens.get(0), "fo%d-" + run + "@bench.test", rate, seconds);
            Latencies floorOpenCreates = openCreates(bare, floorTokens.get(0), "fo%d-" + run + "@floor.test", rate, seconds);
            Latencies stackLookups = foundLookups(stack, tokens, "f%d-" + run + "@bench.test", users, lookupRate, seconds);
            Latencies floorLookups = foundLookups(bare, floorTokens, "f%d-" + run + "@floor.test", users, lookupRate,
                    seconds);
            report.append(String.format("### Latency at fixed rates (open loop, %d s each, one side at a time)%n%n",
                    seconds)).append("| side ").append(Latencies.header().replaceFirst("\n\\|", "\n|---|")).append('\n');
            for (String[] row : List.of(new String[] {"the stack", stackOpenCreates.row()},
                    new String[] {"the shape floor", floorOpenCreates.row()}, new String[] {"the stack", stackLookups.row()},
                    new String[] {"the shape floor", floorLookups.row()})) {
                report.append("| ").append(row[0]).append(' ').append(row[1]).append('\n');
            }
            report.append('\n');
            summary.put("create p99 at a fixed " + rate + "/s: the stack / the bare shape (floor phase)", new String[] {
                    String.format("%.1f / %.1f ms", stackOpenCreates.p99Millis(), floorOpenCreates.p99Millis()), "<= 50 ms"});
            summary.put("userName eq (found) p99 at " + lookupRate + "/s: the stack / the bare shape (floor phase)",
                    new String[] {String.format("%.1f / %.1f ms", stackLookups.p99Millis(), floorLookups.p99Millis()),
                            "<= 10 ms"});
            summary.put("CPU ms per create alone: the stack / the bare shape (floor phase)", new String[] {
                    cpuBeside(stackCreates, floorCreates), ""});
            summary.put("CPU ms per lookup + create: the stack / the bare shape (floor phase)", new String[] {
                    cpuBeside(stackSide, floorSide), String.format("%.1f ms for %.0f/s on %d cores",
                            1000.0 * cores / TARGET_CREATES_PER_SECOND, TARGET_CREATES_PER_SECOND, cores)});
        }
    }

    private record Side(String name, String loop, double rate, double cpuMs, String detail) {
    }

    /** Two sides' CPU per create and how many times the first's is the second's: "3.70 / 1.17 (3.2 x)". */
    private static String cpuBeside(Side stack, Side bare) {
        return String.format("%.2f / %.2f (%.1f x)", stack.cpuMs, bare.cpuMs, stack.cpuMs / bare.cpuMs);
    }

    private interface Measurement {
        String stop(long created) throws Exception;
    }

    private interface Start {
        void run() throws Exception;
    }

    private Side side(String name, Stack target, List<String> sideTokens, String nameFormat, int users, int clients,
            boolean lookUpFirst, Start start, Measurement stop, Processes cpu) throws Exception {
        Latencies lookups = lookUpFirst ? new Latencies("lookup (userName eq, not found)") : null;
        Latencies creates = new Latencies("create");
        Latencies pairs = new Latencies("lookup + create");
        start.run();
        long elapsed = lookupAndCreate(target, sideTokens, nameFormat, users, clients, lookups, creates, pairs,
                (connection, userName, answer) -> { });
        long created = creates.count(201);
        String detail = Latencies.header() + "\n" + (lookUpFirst ? lookups.row() + "\n" : "") + creates.row() + "\n"
                + (lookUpFirst ? pairs.row() + "\n" : "") + "\n" + stop.stop(created);
        if (created != users) {
            throw new IllegalStateException(name + ": " + created + " of " + users + " creates answered 201\n" + detail);
        }
        return new Side(name, lookUpFirst ? "lookup + create" : "create alone", created / (elapsed / 1e9),
                cpu.listedMsPerCount(), detail);
    }

    /** What to do with a user an IdP's sync created (201): its connection's index, userName and answer. */
    private interface Created {
        void accept(int connection, String userName, Stack.Answer answer);
    }

    /**
     * An IdP's initial sync (closed loop): for each of {@code users} (userName {@code nameFormat} of its index,
     * round-robin over the connections' tokens), a {@code userName eq} lookup (none when {@code lookups} is null),
     * then the create. Answers the nanos it took.
     */
    private static long lookupAndCreate(Stack target, List<String> syncTokens, String nameFormat, int users,
            int clients, Latencies lookups, Latencies creates, Latencies pairs, Created onCreated)
            throws InterruptedException {
        int connections = syncTokens.size();
        return Loops.closedLoop(clients, users, pairs, i -> {
            int connection = (int) (i % connections);
            String token = syncTokens.get(connection);
            String userName = String.format(nameFormat, i);
            if (lookups != null) {
                long began = System.nanoTime();
                Stack.Answer lookup = target.scimNow(token, "GET", Stack.filterPath(userName), null);
                lookups.record((System.nanoTime() - began) / 1000, lookup.statusCode());
            }
            long posted = System.nanoTime();
            Stack.Answer created = target.scimNow(token, "POST", "/Users", Stack.userBody(userName, true));
            creates.record((System.nanoTime() - posted) / 1000, created.statusCode());
            if (created.statusCode() == 201) {
                onCreated.accept(connection, userName, created);
            }
            return created.statusCode();
        });
    }

    /**
     * The open loops send through the Vert.x client, which the syncs (on {@link BlockingHttp}) never use. Cold, its
     * first requests load and compile its classes and open its connections: a quarter of a second or so in which
     * every request an open loop has due is late, and was measured as the stack's latency - the "stall" in the first
     * 10 s after a sync, where the gateway-alone request stalled with the lookups while a probe from another process
     * saw none (2026-12-03). So it is exercised before anything is measured; its slowest answer says what cold cost.
     */
    private void warmOpenLoopClient() throws InterruptedException {
        Latencies warmUp = new Latencies("GET /ServiceProviderConfig, the open loops' client warming up");
        Loops.openLoop(200, Duration.ofSeconds(2), 100, warmUp,
                i -> stack.scim(tokens.get((int) (i % tokens.size())), "GET", "/ServiceProviderConfig", null)
                        .thenApply(Stack.Answer::statusCode));
        report.append("## The open loops' client, warmed up before anything is measured (not counted)\n\n")
                .append(Latencies.header()).append('\n').append(warmUp.row()).append("\n\n");
    }

    /** {@code userName eq} lookups of the synced users, started the moment the sync ends: p99 per 10 s. */
    private void afterSync(int rate, int seconds) throws Exception {
        int known = userNames.stream().mapToInt(List::size).sum();
        if (known == 0) {
            return;
        }
        long gapMillis = (System.nanoTime() - lastSyncAnswer) / 1_000_000;
        WindowedLatencies lookups = new WindowedLatencies("userName eq (found) at " + rate + "/s over " + known
                + " users", 10_000_000_000L);
        // Beside them, at a tenth of their rate, a request the gateway answers alone (no call to another service):
        // what a request's latency is on this machine at that moment, so the lookups' figures can be read against it.
        int aloneRate = Math.max(1, rate / 10);
        WindowedLatencies alone = new WindowedLatencies("ServiceProviderConfig (the gateway alone) at " + aloneRate
                + "/s, same window", 10_000_000_000L);
        // What a found lookup costs each process while the found path is new to the JVMs (the sync only ever
        // looked up users it had not created yet).
        Processes cpu = new Processes(processes, postmaster);
        cpu.start();
        Thread gatewayAlone = new Thread(() -> {
            try {
                Loops.openLoop(aloneRate, Duration.ofSeconds(seconds), 100, alone,
                        i -> stack.scim(tokens.get(0), "GET", "/ServiceProviderConfig", null)
                                .thenApply(Stack.Answer::statusCode));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        gatewayAlone.start();
        Loops.openLoop(rate, Duration.ofSeconds(seconds), 1000, lookups, i -> {
            int connection = (int) (i % tokens.size());
            List<String> names = userNames.get(connection);
            String userName = names.get(ThreadLocalRandom.current().nextInt(names.size()));
            return stack.scim(tokens.get(connection), "GET", Stack.filterPath(userName), null)
                    .thenApply(Stack.Answer::statusCode);
        });
        gatewayAlone.join();
        String cpuPerLookup = cpu.stop(lookups.all().histogram().getTotalCount(), "lookup");
        report.append(String.format("## Lookups right after the sync (open loop, started %d ms after the sync's last "
                + "answer - the time to read the counters)%n%n", gapMillis))
                .append(Latencies.header()).append('\n').append(lookups.rows()).append(alone.rows())
                .append("\nCPU (same window; the gateway-alone requests included):\n\n").append(cpuPerLookup).append('\n');
        summary.put("userName eq p99 right after the sync, " + rate + "/s over " + known + " users (worst 10 s window / all)",
                new String[] {lookups.p99Summary(), ""});
        summary.put("beside them, a request the gateway answers alone, p99 (worst 10 s window / all)",
                new String[] {alone.p99Summary(), ""});
    }

    /** Creates offered at a fixed rate, each timed from when it was due. */
    private void openCreates(String run, int rate, int seconds) throws Exception {
        Latencies creates = openCreates(stack, tokens.get(0), "open%d-" + run + "@bench.test", rate, seconds);
        report.append(String.format("## Creates at a fixed rate (open loop, corrected for coordinated omission)%n%n"))
                .append(Latencies.header()).append('\n').append(creates.row()).append("\n\n");
        summary.put("create p99 at a fixed " + rate + "/s (open loop)", new String[] {
                String.format("%.1f ms (%s)", creates.p99Millis(), creates.statusSummary()), ""});
    }

    /** Creates at a fixed rate on one connection (open loop), userName {@code nameFormat} of their index. */
    private static Latencies openCreates(Stack target, String token, String nameFormat, int rate, int seconds)
            throws InterruptedException {
        Latencies creates = new Latencies("create at " + rate + "/s");
        Loops.openLoop(rate, Duration.ofSeconds(seconds), 1000, creates,
                i -> target.scim(token, "POST", "/Users", Stack.userBody(String.format(nameFormat, i), true))
                        .thenApply(Stack.Answer::statusCode));
        return creates;
    }

    /**
     * {@code userName eq} lookups at a fixed rate of users {@link #lookupAndCreate} created ({@code nameFormat} of an
     * index below {@code users}, on its connection's token).
     */
    private static Latencies foundLookups(Stack target, List<String> syncTokens, String nameFormat, int users,
            int rate, int seconds) throws InterruptedException {
        Latencies lookups = new Latencies("userName eq (found) at " + rate + "/s");
        Loops.openLoop(rate, Duration.ofSeconds(seconds), 1000, lookups, i -> {
            int user = ThreadLocalRandom.current().nextInt(users);
            return target.scim(syncTokens.get(user % syncTokens.size()), "GET",
                    Stack.filterPath(String.format(nameFormat, user)), null).thenApply(Stack.Answer::statusCode);
        });
        return lookups;
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
                    .thenApply(Stack.Answer::statusCode);
        });
        report.append(String.format("## Filter lookups (open loop)%n%n")).append(Latencies.header()).append('\n')
                .append(filters.row()).append("\n\n");
        summary.put("userName eq p99 at " + rate + "/s over " + known + " users", new String[] {
                String.format("%.1f ms (%s)", filters.p99Millis(), filters.statusSummary()), ""});
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
            Stack.Answer created = stack.scimNow(token, "POST", "/Groups", "{\"schemas\":[\"" + Stack.GROUP
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
                    Stack.Answer answer = stack.scimNow(token, "PATCH", "/Groups/" + id,
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
                i -> stack.scim(quietToken, "GET", "/Users?count=10", null).thenApply(Stack.Answer::statusCode));
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
                i -> stack.scim(quietToken, "GET", "/Users?count=10", null).thenApply(Stack.Answer::statusCode));
        flooding.join();
        report.append(String.format("## Noisy neighbour (rate limit per connection)%n%n")).append(Latencies.header())
                .append('\n').append(alone.row()).append('\n').append(beside.row()).append('\n').append(flood.row())
                .append(String.format("%n%nQuiet tenant p99 beside the flood ÷ alone: **%.2f**%n%n",
                        beside.p99Millis() / alone.p99Millis()));
    }
}
