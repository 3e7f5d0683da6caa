package dev.scimsync.stack;

import dev.scimsync.contracts.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The whole system on one machine without Docker: a KRaft Kafka broker, PostgreSQL (embedded unless an
 * existing server is given) and the four services as separate JVMs. Everything it starts it stops again,
 * in reverse order; its data lives in one directory.
 */
public final class LocalStack implements AutoCloseable {

    public static final String BOOTSTRAP_ORGANIZATION = "acme";
    public static final String BOOTSTRAP_CONNECTION = "acme-sso";
    /** Where internal services listen: this machine only. */
    static final String LOOPBACK = "127.0.0.1";
    /** The role audit-service runs as: it may read and append to the audit log, not rewrite it (docs/security.md). */
    static final String AUDIT_RUNTIME_ROLE = "audit_runtime";

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(180);

    /** What a client needs to talk to the stack: the four lines printed and written to the env file. */
    public record Endpoints(String scimBaseUrl, String scimToken, String adminBaseUrl, String adminToken) {
        public String asEnvLines() {
            return "SCIM_BASE_URL=" + scimBaseUrl + "\nSCIM_TOKEN=" + scimToken + "\nADMIN_BASE_URL=" + adminBaseUrl
                    + "\nADMIN_TOKEN=" + adminToken + "\n";
        }
    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<ServiceProcess> services = new ArrayList<>();
    private Endpoints endpoints;
    private KafkaBroker kafka;
    private DatabaseServer database;

    private LocalStack() {
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** The stack's own instance of a service (replicas started with {@link #startReplica} are not among them). */
    public synchronized ServiceProcess service(String module) {
        return services.stream().filter(s -> s.name().equals(module)).findFirst().orElseThrow();
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** The PostgreSQL server the services' databases (membership, groupsync, audit) live on. */
    public synchronized DatabaseServer database() {
        return database;
    }

    /** Starts everything, reporting each step to {@code progress}; on any failure stops what was started. */
    public static LocalStack start(StackSettings settings, Consumer<String> progress) throws Exception {
        LocalStack stack = new LocalStack();
        try {
            stack.startAll(settings, progress);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(StackSettings settings, Consumer<String> progress) throws Exception {
        List<String> inUse = settings.portsInUse();
        if (!inUse.isEmpty()) {
            throw new java.io.IOException("ports in use: " + String.join(", ", inUse) + " - another stack runs (stop it"
                    + " with deploy/local/stack stop and its STACK_DATA_DIR), or move this one with those variables");
        }
        Path data = settings.dataDirectory();
        Path logs = Files.createDirectories(data.resolve("logs"));
        StackSecrets secrets = StackSecrets.loadOrCreate(data.resolve("secrets.properties"));
        Path keys = data.resolve("service-keys");
        ServiceKeys.createMissing(keys, ServiceKeys.CALLERS);

        DatabaseServer database;
        if (settings.externalPostgresUrl() == null || settings.externalPostgresUrl().isBlank()) {
            progress.accept("PostgreSQL (embedded, port " + settings.postgresPort() + ", data in " + data.resolve("postgres")
                    + ") ...");
            database = PostgresServer.start(data.resolve("postgres"), settings.postgresPort());
        } else {
            progress.accept("PostgreSQL (existing server " + settings.externalPostgresUrl() + ") ...");
            database = new ExternalPostgres(settings.externalPostgresUrl(), settings.externalPostgresUser(),
                    settings.externalPostgresPassword());
        }
        started.push(database);
        this.database = database;
        for (String db : List.of("membership", "groupsync", "audit")) {
            database.createDatabaseIfMissing(db);
        }
        database.ensureLoginRole(AUDIT_RUNTIME_ROLE, secrets.auditRuntimePassword());

        progress.accept("Kafka (KRaft, port " + settings.kafkaPort() + ") ...");
        KafkaBroker kafka = KafkaBroker.start(Files.createDirectories(data.resolve("kafka")), settings.kafkaPort(),
                settings.kafkaControllerPort(), logs.resolve("kafka.log"));
        started.push(kafka);
        this.kafka = kafka;
        KafkaTopics.createMissing(kafka.bootstrapServers(), Topics.PARTITIONS, Topics.COMPACTED);

        Map<String, String> membershipEnv = serviceEnvironment(kafka, database, "membership", keys);
        membershipEnv.put("BOOTSTRAP_ORGANIZATION", BOOTSTRAP_ORGANIZATION);
        membershipEnv.put("BOOTSTRAP_CONNECTION", BOOTSTRAP_CONNECTION);
        membershipEnv.put("BOOTSTRAP_SCIM_TOKEN", secrets.scimToken());
        Map<String, String> gatewayEnv = new LinkedHashMap<>();
        gatewayEnv.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        gatewayEnv.put("QUARKUS_HTTP_HOST", settings.gatewayHost());
        gatewayEnv.put("MEMBERSHIP_SERVICE_URL", "http://localhost:" + settings.membershipPort());
        gatewayEnv.put("AUDIT_SERVICE_URL", "http://localhost:" + settings.auditPort());
        gatewayEnv.put("GROUP_SYNC_SERVICE_URL", "http://localhost:" + settings.groupSyncPort());
        gatewayEnv.put("INTERNAL_AUTH_PRIVATE_KEY_LOCATION", ServiceKeys.privateKey(keys, "scim-gateway").toString());
        Map<String, String> groupSyncEnv = serviceEnvironment(kafka, database, "groupsync", keys);
        groupSyncEnv.put("INTERNAL_AUTH_PRIVATE_KEY_LOCATION",
                ServiceKeys.privateKey(keys, "group-sync-service").toString());
        groupSyncEnv.put("MEMBERSHIP_SERVICE_URL", "http://localhost:" + settings.membershipPort());
        gatewayEnv.put("ADMIN_TOKEN", secrets.adminToken());

        progress.accept("services: membership-service, group-sync-service, audit-service, scim-gateway ...");
        Path root = settings.projectRoot();
        launch(ServiceProcess.start(root, "membership-service", settings.membershipPort(), membershipEnv,
                logs.resolve("membership-service.log")));
        launch(ServiceProcess.start(root, "group-sync-service", settings.groupSyncPort(),
                groupSyncEnv, logs.resolve("group-sync-service.log")));
        Map<String, String> auditEnv = serviceEnvironment(kafka, database, "audit", keys);
        // Migrations as the owner, the service as a role that may only read and append (docs/security.md).
        auditEnv.put("QUARKUS_FLYWAY_USERNAME", database.user());
        auditEnv.put("QUARKUS_FLYWAY_PASSWORD", database.password());
        auditEnv.put("QUARKUS_DATASOURCE_USERNAME", AUDIT_RUNTIME_ROLE);
        auditEnv.put("QUARKUS_DATASOURCE_PASSWORD", secrets.auditRuntimePassword());
        auditEnv.put("AUDIT_CHAIN_CURRENT_KEY", StackSecrets.AUDIT_CHAIN_KEY_ID);
        auditEnv.put("AUDIT_CHAIN_KEYS_" + StackSecrets.AUDIT_CHAIN_KEY_ID.toUpperCase(java.util.Locale.ROOT),
                secrets.auditChainKey());
        launch(ServiceProcess.start(root, "audit-service", settings.auditPort(), auditEnv,
                logs.resolve("audit-service.log")));
        launch(ServiceProcess.start(root, "scim-gateway", settings.gatewayPort(), gatewayEnv,
                logs.resolve("scim-gateway.log")));
        awaitServicesReady(progress);

        String gateway = "http://localhost:" + settings.gatewayPort();
        endpoints = new Endpoints(gateway + "/scim/v2", secrets.scimToken(), gateway + "/admin/v1", secrets.adminToken());
    }

    /** Crashes one service (SIGKILL) and starts it again; returns once it is ready. For fault tests. */
    public synchronized void crashAndRestart(String module) throws Exception {
        ServiceProcess crashed = service(module);
        ServiceProcess restarted = crashed.killAndRestart();
        services.set(services.indexOf(crashed), restarted);
        started.remove(crashed);
        started.push(restarted);
        restarted.awaitReady(SERVICE_START_TIMEOUT);
    }

    /**
     * Starts one more instance of a running service on {@code port}, with the first instance's settings and
     * the overrides (pointing a second gateway at a second membership-service, say); returns it once ready.
     * It is stopped with the stack. For scale-out tests.
     */
    public synchronized ServiceProcess startReplica(String module, int port, Map<String, String> overrides)
            throws Exception {
        ServiceProcess first = service(module);
        ServiceProcess replica = first.replica(port, overrides);
        started.push(replica);
        replica.awaitReady(SERVICE_START_TIMEOUT);
        return replica;
    }

    /** Kills one instance (SIGKILL) for good: the others of its kind must take over its work. */
    public synchronized void crash(ServiceProcess instance) throws InterruptedException {
        instance.kill();
        started.remove(instance);
        services.remove(instance);
    }

    /** Kills the Kafka broker (SIGKILL) and starts it again on the same log; returns once it answers. */
    public synchronized void crashAndRestartKafka() throws Exception {
        crashKafkaFor(Duration.ZERO);
    }

    /**
     * Kills the Kafka broker (SIGKILL), leaves it down for {@code down} (an outage, not just a restart), then
     * starts it again on the same log; returns once it answers.
     */
    public synchronized void crashKafkaFor(Duration down) throws Exception {
        KafkaBroker restarted = kafka.killAndRestart(down);
        // Closing goes newest first, and the broker must close before the database it was started after.
        started.remove(kafka);
        started.remove(database);
        started.addLast(restarted);
        started.addLast(database);
        kafka = restarted;
    }

    /** Crashes the embedded PostgreSQL (immediate shutdown) and starts it again on the same data and port. */
    public synchronized void crashAndRestartPostgres() throws Exception {
        if (!(database instanceof PostgresServer embedded)) {
            throw new IllegalStateException("only the embedded PostgreSQL can be restarted by the stack");
        }
        PostgresServer restarted = embedded.crashAndRestart();
        // The crashed instance is already gone; only the new one is stopped at the end.
        started.remove(database);
        started.addLast(restarted);
        database = restarted;
    }

    private void launch(ServiceProcess service) {
        started.push(service);
        services.add(service);
    }

    /** The services start in parallel (a JVM start is mostly waiting); each is reported when ready. */
    private void awaitServicesReady(Consumer<String> progress) throws Exception {
        ExecutorService waiters = Executors.newFixedThreadPool(services.size());
        try {
            List<Future<?>> readiness = new ArrayList<>();
            for (ServiceProcess service : services) {
                readiness.add(waiters.submit(() -> {
                    long startedAt = System.nanoTime();
                    service.awaitReady(SERVICE_START_TIMEOUT);
                    progress.accept("  " + service.name() + " ready on port " + service.port() + " ("
                            + (System.nanoTime() - startedAt) / 1_000_000 + " ms)");
                    return null;
                }));
            }
            for (Future<?> ready : readiness) {
                try {
                    ready.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            waiters.shutdownNow();
        }
    }

    private static Map<String, String> serviceEnvironment(KafkaBroker kafka, DatabaseServer database, String db,
            Path serviceKeys) {
        Map<String, String> env = new LinkedHashMap<>();
        // The callers' public keys: an internal API answers only a token one of them signed.
        env.put("INTERNAL_AUTH_JWKS_LOCATION", ServiceKeys.jwks(serviceKeys).toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        // Internal services answer this machine only: the gateway is the one door (STACK_GATEWAY_HOST).
        env.put("QUARKUS_HTTP_HOST", LOOPBACK);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", database.reactiveUrl(db));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(db));
        env.put("QUARKUS_DATASOURCE_USERNAME", database.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        return env;
    }

    /** Stops what was started, newest first: services, then Kafka, then PostgreSQL. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
    }
}
