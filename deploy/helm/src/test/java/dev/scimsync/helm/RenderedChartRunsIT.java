package dev.scimsync.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.contracts.Topics;
import dev.scimsync.stack.KafkaBroker;
import dev.scimsync.stack.KafkaTopics;
import dev.scimsync.stack.PostgresServer;
import dev.scimsync.stack.ServiceKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The chart-to-process test: the chart is rendered, and its four Deployments are started as the real services
 * exactly as rendered ({@link ChartProcesses}: the container's command, its environment with ConfigMaps and
 * Secrets resolved, only addresses made local) against a real PostgreSQL and a real Kafka broker. Then an IdP's
 * SCIM create, a group push, and reads of what followed - the membership and team events on Kafka, the team
 * through the admin API, the audit trail - go through them. A service the chart wires wrongly (a database URL
 * missing, a Secret key that is not there, a wrong service URL) fails here: it does not start, is not ready,
 * or the flow through it never completes.
 *
 * <p>Which values run here (each run is four JVMs starting on two cores, one to four minutes): the chart's
 * defaults (PLAINTEXT Kafka, Secrets the platform team made), ci/tls-values.yaml (mutual TLS to Kafka with the
 * CA and client certificate from Secrets) and ci/ha-values.yaml (SCRAM-SHA-512 over TLS, an ingress, bootstrap
 * tenant). The other ci/ files are not started: ci/minimal-values.yaml differs from the defaults only in Secrets
 * the chart renders itself, and ci/strimzi-values.yaml needs a Strimzi operator (KafkaUsers) and a Kafka Connect
 * cluster (capture). For them {@link ChartTest} resolves every Deployment's environment the same way (ConfigMaps
 * and Secrets) and checks that it carries every key the started configurations carry, pointing at their own
 * addresses.
 *
 * <p>The database role the services log in as is created here from the Secret the chart points them at, and is
 * not the server's superuser: a service that missed its URL and went to a default address (another local stack
 * on localhost:15432, say) cannot log in there, and fails.
 */
class RenderedChartRunsIT {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("chart.project-root", "../.."))
            .toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SCIM = "application/scim+json";
    private static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

    @Test
    void theDefaultValuesRunWithSecretsThePlatformTeamMade() throws Exception {
        Map<String, Map<String, String>> clusterSecrets = platformSecrets();
        Path work = Files.createTempDirectory("chart-run");
        runAndProvision(work, List.of(), clusterSecrets, null);
    }

    /**
     * ci/tls-values.yaml: every Kafka client of every service - channels, the outbox capture and its offset store,
     * the dead-letter gauge's admin client - reaches a broker that accepts only TLS clients with a certificate its
     * CA signed, using the CA and client certificate from the Secrets the chart points at.
     */
    @Test
    void theTlsValuesReachABrokerThatRequiresClientCertificates() throws Exception {
        Path work = Files.createTempDirectory("chart-run-tls");
        TestCertificates certificates = TestCertificates.create(Files.createDirectories(work.resolve("tls")));
        Map<String, Map<String, String>> clusterSecrets = platformSecrets();
        clusterSecrets.put("kafka-cluster-ca", Map.of("ca.crt", certificates.caCertificatePem()));
        clusterSecrets.put("scim-kafka-client", Map.of("user.crt", certificates.clientCertificatePem(),
                "user.key", certificates.clientKeyPem()));
        runAndProvision(work, List.of(RenderedChart.CHART.resolve("ci/tls-values.yaml")), clusterSecrets,
                new KafkaBroker.TlsListener(freePort(), certificates.brokerKeyStore(), certificates.brokerTrustStore(),
                        certificates.password()));
    }

    /**
     * ci/ha-values.yaml: every Kafka client logs in with SCRAM-SHA-512 (the JAAS line from a Secret) over TLS to a
     * broker whose certificate the CA Secret's CA signed; one process per Deployment, whatever its replicas.
     */
    @Test
    void theHighAvailabilityValuesLogInWithScramOverTls() throws Exception {
        Path work = Files.createTempDirectory("chart-run-scram");
        TestCertificates certificates = TestCertificates.create(Files.createDirectories(work.resolve("tls")));
        KafkaBroker.ScramUser user = new KafkaBroker.ScramUser("scim", secret());
        Map<String, Map<String, String>> clusterSecrets = platformSecrets();
        clusterSecrets.put("kafka-cluster-ca", Map.of("ca.crt", certificates.caCertificatePem()));
        clusterSecrets.put("scim-kafka-user", Map.of("sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user.name()
                        + "\" password=\"" + user.password() + "\";"));
        clusterSecrets.put("scim-audit-runtime", Map.of("username", "audit_chart_runtime", "password", secret()));
        runAndProvision(work, List.of(RenderedChart.CHART.resolve("ci/ha-values.yaml")), clusterSecrets,
                new KafkaBroker.TlsListener(freePort(), certificates.brokerKeyStore(), certificates.brokerTrustStore(),
                        certificates.password(), user));
    }

    /**
     * Renders, resolves every Deployment's environment, starts PostgreSQL and Kafka (with {@code tls}, the services
     * get only its TLS listener; this test's own clients use the PLAINTEXT one), then the services, then
     * provisions through them. The logs stay in {@code work} when it fails.
     */
    private static void runAndProvision(Path work, List<Path> valuesFiles,
            Map<String, Map<String, String>> clusterSecrets, KafkaBroker.TlsListener tls) throws Exception {
        // Settings that follow from this test's cluster rather than the values: it has one broker, so the outbox
        // engines' offsets topics cannot have the default's three replicas; and the dead-letter gauge refreshes
        // every 2 s instead of 30 s (through the chart's extraEnv), so that the test need not wait.
        RenderedChart chart = RenderedChart.render(valuesFiles, command -> command
                .set("events.offsetsReplicationFactor", "1")
                .set("extraEnv[0].name", "AUDIT_DEAD_LETTERS_REFRESH_EVERY").set("extraEnv[0].value", "2s"));
        PodEnvironment environments = new PodEnvironment(chart, clusterSecrets);
        List<JsonNode> deployments = chart.kind("Deployment");
        Map<String, Map<String, String>> envs = new LinkedHashMap<>();
        for (JsonNode deployment : deployments) {
            envs.put(deployment.path("metadata").path("name").asText(), environments.resolve(deployment));
        }

        try (PostgresServer postgres = PostgresServer.start(null, 0);
             KafkaBroker kafka = KafkaBroker.start(Files.createDirectories(work.resolve("kafka")), freePort(),
                     freePort(), work.resolve("kafka.log"), tls)) {
            // What the platform team provides before installing: topics, and the databases with their owner.
            KafkaTopics.createMissing(kafka.bootstrapServers(), Topics.PARTITIONS, Topics.COMPACTED);
            createDatabases(postgres, chart.values().path("postgresql").path("databases"), envs);

            String servicesKafka = (tls == null ? kafka.bootstrapServers() : kafka.tlsBootstrapServers())
                    .replace("localhost", "127.0.0.1");
            Map<String, String> addresses = new LinkedHashMap<>();
            for (String broker : chart.values().path("kafka").path("bootstrapServers").asText().split(",")) {
                addresses.put(broker.trim(), servicesKafka);
            }
            addresses.put(chart.values().path("postgresql").path("host").asText() + ":"
                    + chart.values().path("postgresql").path("port").asText(), "127.0.0.1:" + postgres.port());
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (JsonNode deployment : deployments) {
                ports.put(deployment.path("metadata").path("name").asText(), freePort());
            }
            addresses.putAll(serviceAddresses(chart, ports));

            try (ChartProcesses processes = new ChartProcesses(PROJECT_ROOT, work)) {
                for (JsonNode deployment : deployments) {
                    String name = deployment.path("metadata").path("name").asText();
                    processes.start(deployment, envs.get(name), ports.get(name), addresses, environments::secretData);
                }
                processes.awaitReady(Duration.ofMinutes(4));

                assertEveryDatabaseWasMigratedByItsService(postgres, chart, envs);
                assertRuntimeRolesServeAndCannotRewrite(postgres, chart, processes);
                provisionThroughTheServices(processes, kafka.bootstrapServers());
                assertTheDeadLetterGaugeReadsTheTopic(processes, kafka.bootstrapServers());
            }
        } catch (Exception | AssertionError e) {
            System.out.println("[chart-run] " + valuesFiles + " failed; the services' logs are in " + work);
            throw e;
        }
        deleteRecursively(work);
    }

    /** A record parked on audit.dlq shows in audit-service's gauge: its own admin client reaches the broker. */
    private static void assertTheDeadLetterGaugeReadsTheTopic(ChartProcesses processes, String bootstrapServers)
            throws Exception {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrapServers);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(config,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.AUDIT_DLQ, "k", "{}")).get();
        }
        String metrics = processes.byModule("audit-service").baseUrl() + "/q/metrics";
        eventually(Duration.ofSeconds(30), "audit_dead_letter_records reads 1", () -> {
            HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(URI.create(metrics)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return scrape.body().lines().anyMatch(line -> line.startsWith("audit_dead_letter_records")
                    && line.endsWith(" 1.0")) ? scrape : null;
        });
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /**
     * Each service's database, owned by the login role its Secret names (REPLICATION: its outbox slot); a service
     * that migrates as that role (QUARKUS_FLYWAY_USERNAME) and runs as another gets that other one as a plain login.
     */
    private static void createDatabases(PostgresServer postgres, JsonNode databases,
            Map<String, Map<String, String>> envs) throws Exception {
        Map<String, String> withDatabase = envs.values().stream().filter(e -> e.containsKey("QUARKUS_DATASOURCE_USERNAME"))
                .findFirst().orElseThrow(() -> new AssertionError("no service gets database credentials"));
        String user = withDatabase.getOrDefault("QUARKUS_FLYWAY_USERNAME", withDatabase.get("QUARKUS_DATASOURCE_USERNAME"));
        String password = withDatabase.getOrDefault("QUARKUS_FLYWAY_PASSWORD",
                withDatabase.get("QUARKUS_DATASOURCE_PASSWORD"));
        assertTrue(user.matches("[a-z][a-z0-9_]*"), "a plain role name: " + user);
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"), PostgresServer.USER,
                PostgresServer.PASSWORD); Statement sql = admin.createStatement()) {
            sql.execute("create role " + user + " login replication password '" + password.replace("'", "''") + "'");
            for (JsonNode database : databases) {
                sql.execute("create database " + database.asText() + " owner " + user);
            }
            for (Map<String, String> env : envs.values()) {
                if (env.containsKey("QUARKUS_FLYWAY_USERNAME")) {
                    assertEquals(user, env.get("QUARKUS_FLYWAY_USERNAME"), "migrations run as the databases' owner");
                    String runtime = env.get("QUARKUS_DATASOURCE_USERNAME");
                    assertTrue(runtime.matches("[a-z][a-z0-9_]*") && !runtime.equals(user), "a runtime role: " + runtime);
                    sql.execute("create role " + runtime + " login password '"
                            + env.get("QUARKUS_DATASOURCE_PASSWORD").replace("'", "''") + "'");
                }
            }
        }
    }

    /**
     * A service given a runtime role of its own (audit-service with postgresql.auditRuntimeSecret) is connected as
     * that role, and the role cannot truncate its log: the grants its migrations made reached it.
     */
    private static void assertRuntimeRolesServeAndCannotRewrite(PostgresServer postgres, RenderedChart chart,
            ChartProcesses processes) throws Exception {
        String auditDatabase = chart.values().path("postgresql").path("databases").path("audit").asText();
        Map<String, String> audit = processes.byModule("audit-service").env();
        if (!audit.containsKey("QUARKUS_FLYWAY_USERNAME")) {
            return;
        }
        String runtime = audit.get("QUARKUS_DATASOURCE_USERNAME");
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl(auditDatabase), PostgresServer.USER,
                PostgresServer.PASSWORD); Statement sql = admin.createStatement();
             ResultSet sessions = sql.executeQuery("select count(*) from pg_stat_activity where usename = '" + runtime
                     + "' and datname = '" + auditDatabase + "'")) {
            sessions.next();
            assertTrue(sessions.getInt(1) > 0, "audit-service is connected as " + runtime);
        }
        try (Connection asRuntime = DriverManager.getConnection(postgres.jdbcUrl(auditDatabase), runtime,
                audit.get("QUARKUS_DATASOURCE_PASSWORD")); Statement sql = asRuntime.createStatement()) {
            java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> sql.execute("truncate audit_log"));
            assertEquals("42501", refused.getSQLState(), refused.getMessage());
        }
    }

    /** Flyway ran in each service's own database (the JDBC URL reached the right place). */
    private static void assertEveryDatabaseWasMigratedByItsService(PostgresServer postgres, RenderedChart chart,
            Map<String, Map<String, String>> envs) throws Exception {
        Map<String, String> databaseOf = Map.of("membership-service", "membership", "group-sync-service", "groupSync",
                "audit-service", "audit");
        for (Map.Entry<String, String> service : databaseOf.entrySet()) {
            String database = chart.values().path("postgresql").path("databases").path(service.getValue()).asText();
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database), PostgresServer.USER,
                    PostgresServer.PASSWORD); Statement sql = connection.createStatement();
                 ResultSet migrations = sql.executeQuery(
                         "select count(*) from flyway_schema_history where success")) {
                migrations.next();
                assertTrue(migrations.getInt(1) > 0, service.getKey() + " migrated " + database);
            }
        }
    }

    /** An IdP's first calls and what they must lead to. */
    private static void provisionThroughTheServices(ChartProcesses processes, String bootstrapServers)
            throws Exception {
        ChartProcesses.Instance gateway = processes.byModule("scim-gateway");
        String adminToken = gateway.env().get("ADMIN_TOKEN");
        String admin = gateway.baseUrl() + "/admin/v1";
        String scim = gateway.baseUrl() + "/scim/v2";

        String organization = "chart" + HexFormat.of().formatHex(RANDOM.generateSeed(3));
        call("POST", admin + "/organizations", adminToken, "application/json", "{\"name\":\"" + organization + "\"}", 201);
        call("POST", admin + "/connections", adminToken, "application/json", "{\"name\":\"" + organization
                + "-sso\",\"organizations\":[\"" + organization + "\"],\"defaultOrganization\":\"" + organization
                + "\",\"scimEnabled\":true}", 201);
        String scimToken = call("POST", admin + "/connections/" + organization + "-sso/scim-tokens", adminToken, null,
                null, 201).path("token").asText();

        String userName = "ada@" + organization + ".test";
        String userId = call("POST", scim + "/Users", scimToken, SCIM, "{\"schemas\":[\"" + CORE_USER
                + "\"],\"userName\":\"" + userName + "\"}", 201).path("id").asText();
        String group = organization + ":developers";
        String groupId = call("POST", scim + "/Groups", scimToken, SCIM, "{\"schemas\":[\"" + CORE_GROUP
                + "\"],\"displayName\":\"" + group + "\",\"members\":[{\"value\":\"" + userId + "\"}]}", 201)
                .path("id").asText();

        JsonNode members = eventually(Duration.ofSeconds(30), "the group's team has its member", () -> {
            JsonNode team = call("GET", admin + "/organizations/" + organization + "/teams/developers/members",
                    adminToken, null, null, 200);
            return team.path("members").findValuesAsText("id").contains(userId) ? team : null;
        });
        assertEquals(userId, members.path("members").get(0).path("id").asText());
        assertEquals(List.of(userId), call("GET", scim + "/Groups/" + groupId, scimToken, null, null, 200)
                .path("members").findValuesAsText("value"));

        eventually(Duration.ofSeconds(30), "the audit trail has the create", () -> {
            JsonNode trail = call("GET", admin + "/audit/records?user=" + userName + "&limit=50", adminToken, null,
                    null, 200);
            return trail.path("records").findValuesAsText("action").contains("user.create") ? trail : null;
        });

        // The outboxes, captured by each service's relay (its JDBC URL and Kafka settings from the chart).
        ConsumerRecord<String, byte[]> memberEvent = awaitEvent(bootstrapServers, Topics.MEMBERSHIP_EVENTS, userId);
        assertTrue(header(memberEvent, "ce_type").startsWith("dev.scimsync.membership."), header(memberEvent, "ce_type"));
        ConsumerRecord<String, byte[]> teamEvent = awaitEvent(bootstrapServers, Topics.TEAM_EVENTS, userId);
        assertEquals("/scim-provisioning/group-sync-service", header(teamEvent, "ce_source"));
    }

    private static ConsumerRecord<String, byte[]> awaitEvent(String bootstrapServers, String topic, String mentioning)
            throws Exception {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> seen = new ArrayList<>();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String value = new String(record.value(), StandardCharsets.UTF_8);
                    seen.add(header(record, "ce_type"));
                    if (value.contains(mentioning) || mentioning.equals(header(record, "ce_subject"))) {
                        return record;
                    }
                }
            }
            throw new AssertionError("no event on " + topic + " mentions " + mentioning + " within 60 s (saw " + seen + ")");
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode call(String method, String url, String token, String contentType, String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), method + " " + url + " answered: " + response.body());
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private static <T> T eventually(Duration timeout, String what, Callable<T> attempt) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            T result = attempt.call();
            if (result != null) {
                return result;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(500);
        }
    }

    /** Each rendered Service's in-cluster names (short, namespaced, FQDN) to its Deployment's local port. */
    private static Map<String, String> serviceAddresses(RenderedChart chart, Map<String, Integer> ports) {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (JsonNode service : chart.kind("Service")) {
            String name = service.path("metadata").path("name").asText();
            JsonNode selector = service.path("spec").path("selector");
            JsonNode target = chart.kind("Deployment").stream().filter(d -> {
                JsonNode labels = d.path("spec").path("template").path("metadata").path("labels");
                List<String> mismatched = new ArrayList<>();
                selector.fields().forEachRemaining(f -> {
                    if (!f.getValue().asText().equals(labels.path(f.getKey()).asText())) {
                        mismatched.add(f.getKey());
                    }
                });
                return mismatched.isEmpty();
            }).findFirst().orElseThrow(() -> new AssertionError("Service " + name + " selects no Deployment's pods"));
            String local = "127.0.0.1:" + ports.get(target.path("metadata").path("name").asText());
            for (JsonNode port : service.path("spec").path("ports")) {
                String servicePort = port.path("port").asText();
                for (String host : List.of(name, name + "." + RenderedChart.NAMESPACE,
                        name + "." + RenderedChart.NAMESPACE + ".svc",
                        name + "." + RenderedChart.NAMESPACE + ".svc.cluster.local")) {
                    addresses.put(host + ":" + servicePort, local);
                }
            }
        }
        return addresses;
    }

    /** The Secrets every values file expects the platform team to have made: database, admin, service keys, chain key. */
    private static Map<String, Map<String, String>> platformSecrets() throws IOException {
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        secrets.put("scim-postgresql", Map.of("username", "scim_chart", "password", secret()));
        secrets.put("scim-admin", Map.of("admin-token", "adm_" + secret()));
        secrets.put("scim-internal-auth", internalAuthKeys());
        secrets.put("scim-audit-chain", Map.of("AUDIT_CHAIN_KEYS_K1", secret()));
        return secrets;
    }

    /** The internalAuth Secret as a platform team makes it: the callers' private keys and their JWKS, made here. */
    private static Map<String, String> internalAuthKeys() throws IOException {
        Path keys = Files.createTempDirectory("chart-internal-auth");
        ServiceKeys.createMissing(keys, ServiceKeys.CALLERS);
        Map<String, String> secret = new LinkedHashMap<>();
        for (String caller : ServiceKeys.CALLERS) {
            secret.put(caller + ".jwk.json", Files.readString(ServiceKeys.privateKey(keys, caller)));
        }
        secret.put("jwks.json", Files.readString(ServiceKeys.jwks(keys)));
        return secret;
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Ports handed out in this run: a closed ephemeral port can come back from the next ServerSocket(0). */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A free local port no other process of this run was given. Each socket is closed before the next is opened, so
     * the kernel may offer the same port twice; once it did (CI, 2026-12-01): membership-service and the gateway
     * were both given it, membership-service could not bind, and the gateway answered its admin calls with 404.
     */
    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }
}
