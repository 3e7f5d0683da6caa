package dev.scimsync.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The chart, linted strictly and rendered with real Helm for its default and realistic values. */
class ChartTest {

    private static final Path CHART = RenderedChart.CHART;

    private static List<JsonNode> render(UnaryOperator<TemplateCommand> values) throws Exception {
        return RenderedChart.render(List.of(), values).objects();
    }

    private static List<JsonNode> kind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    private static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return kind(objects, kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode env(JsonNode deployment, String name) {
        return RenderedChart.env(deployment, name);
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @Test
    void defaultValuesRunFourHardenedServicesWithProbesAndSecretsByReference() throws Exception {
        List<JsonNode> objects = render(command -> command);

        List<JsonNode> deployments = kind(objects, "Deployment");
        assertEquals(List.of("scim-audit-service", "scim-group-sync-service", "scim-membership-service", "scim-scim-gateway"),
                deployments.stream().map(d -> d.path("metadata").path("name").asText()).sorted().toList());
        for (JsonNode deployment : deployments) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);
            assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
            assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
            assertFalse(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true));
            assertTrue(container.path("resources").path("limits").has("memory"));
        }
        JsonNode membership = named(objects, "Deployment", "scim-membership-service");
        assertEquals("scim-postgresql", env(membership, "QUARKUS_DATASOURCE_PASSWORD").path("valueFrom")
                .path("secretKeyRef").path("name").asText());
        assertEquals("postgresql://postgresql.database:5432/membership",
                env(membership, "QUARKUS_DATASOURCE_REACTIVE_URL").path("value").asText());
        assertEquals("scim-admin", env(named(objects, "Deployment", "scim-scim-gateway"), "ADMIN_TOKEN")
                .path("valueFrom").path("secretKeyRef").path("name").asText());
        assertTrue(kind(objects, "Secret").isEmpty(), "existing Secrets are referenced, not created");
        assertEquals(2, named(objects, "Deployment", "scim-scim-gateway").path("spec").path("replicas").asInt());
        assertEquals(4, kind(objects, "Service").size());
        assertTrue(kind(objects, "Ingress").isEmpty());
    }

    @Test
    void onlyTheGatewayIsReachableFromOutside() throws Exception {
        List<JsonNode> objects = render(command -> command);

        JsonNode internal = named(objects, "NetworkPolicy", "scim-internal");
        JsonNode from = internal.path("spec").path("ingress").get(0).path("from");
        assertEquals(1, from.size());
        assertEquals("scim-gateway", from.get(0).path("podSelector").path("matchLabels")
                .path("app.kubernetes.io/name").asText());
        JsonNode groupSync = named(objects, "NetworkPolicy", "scim-membership-from-group-sync");
        assertEquals("membership-service", groupSync.path("spec").path("podSelector").path("matchLabels")
                .path("app.kubernetes.io/name").asText());
        assertEquals("group-sync-service", groupSync.path("spec").path("ingress").get(0).path("from").get(0)
                .path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText());
        assertEquals("http://scim-group-sync-service:8080", named(objects, "ConfigMap", "scim-config").path("data")
                .path("GROUP_SYNC_SERVICE_URL").asText());
        JsonNode gateway = named(objects, "NetworkPolicy", "scim-gateway");
        assertFalse(gateway.path("spec").path("ingress").get(0).has("from"), "the gateway takes traffic from anywhere");
    }

    @Test
    void minimalValuesCreateTheSecretsFromInlineValues() throws Exception {
        List<JsonNode> objects = render(command -> command.withValuesFile(CHART.resolve("ci/minimal-values.yaml")));

        assertEquals(3, kind(objects, "Secret").size());
        assertEquals("change-me", named(objects, "Secret", "scim-postgresql").path("stringData").path("password").asText());
        assertEquals("change-me-three-at-least-32-characters", named(objects, "Secret", "scim-audit-chain")
                .path("stringData").path("AUDIT_CHAIN_KEYS_K1").asText());
        kind(objects, "Deployment").forEach(d -> assertEquals(1, d.path("spec").path("replicas").asInt()));
        assertTrue(kind(objects, "PodDisruptionBudget").isEmpty(), "one replica: no disruption budget");
    }

    /** minAvailable 1 over what may be a single pod would forbid every eviction: a node drain would never end. */
    @Test
    void aServiceThatMayRunOnePodHasNoDisruptionBudget() throws Exception {
        List<JsonNode> objects = render(command -> command
                .set("services.audit.autoscaling.enabled", "true").set("services.audit.autoscaling.minReplicas", "1")
                .set("services.audit.replicas", "2")
                .set("services.groupSync.autoscaling.enabled", "true").set("services.groupSync.autoscaling.minReplicas", "2"));
        assertEquals(List.of("scim-group-sync-service", "scim-membership-service", "scim-scim-gateway"),
                kind(objects, "PodDisruptionBudget").stream().map(budget -> budget.path("metadata").path("name").asText())
                        .sorted().toList(), "audit-service's autoscaler may take it to one pod");
    }

    /** The chart's own Secrets reach the pods as environment variables: a change of one rolls the pods. */
    @Test
    void aChangedSecretRollsThePods() throws Exception {
        UnaryOperator<TemplateCommand> inline = command -> command.withValuesFile(CHART.resolve("ci/minimal-values.yaml"));
        String before = named(render(inline), "Deployment", "scim-scim-gateway").path("spec").path("template")
                .path("metadata").path("annotations").path("checksum/secrets").asText();
        String after = named(render(command -> inline.apply(command).set("admin.token",
                "another-admin-token-of-at-least-32-characters")), "Deployment", "scim-scim-gateway").path("spec")
                .path("template").path("metadata").path("annotations").path("checksum/secrets").asText();
        assertFalse(before.isEmpty());
        assertNotEquals(before, after);
    }

    /** audit-service alone gets the chain keys, each as AUDIT_CHAIN_KEYS_<ID>, and the id new records use. */
    @Test
    void onlyAuditServiceGetsTheAuditChainKeys() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(), c -> c.set("auditChain.currentKey", "k2026"));
        Map<String, Map<String, String>> envs = resolvedEnvironments(chart);

        assertEquals("k2026", envs.get("scim-audit-service").get("AUDIT_CHAIN_CURRENT_KEY"));
        assertEquals("0123456789abcdef0123456789abcdef", envs.get("scim-audit-service").get("AUDIT_CHAIN_KEYS_K1"));
        envs.forEach((name, env) -> {
            if (!name.equals("scim-audit-service")) {
                assertTrue(env.keySet().stream().noneMatch(variable -> variable.startsWith("AUDIT_CHAIN")), name);
            }
        });
        Exception refused = assertThrows(Exception.class, () -> render(c -> c.set("auditChain.existingSecret", "")));
        assertTrue(refused.getMessage().contains("auditChain.keys"), refused.getMessage());
        assertThrows(Exception.class, () -> render(c -> c.set("auditChain.currentKey", "Key-1")),
                "a key id an environment variable cannot spell");
    }

    @Test
    void auditServiceAloneKeepsItsHeapWellAboveWhatIsLive() throws Exception {
        List<JsonNode> objects = render(command -> command);
        for (JsonNode deployment : kind(objects, "Deployment")) {
            String name = deployment.path("metadata").path("name").asText();
            String options = env(deployment, "JAVA_OPTS_APPEND").path("value").asText();
            assertTrue(options.startsWith("-XX:MaxRAMPercentage=75 -Xms16m "), name + ": " + options);
            assertTrue(options.endsWith(name.equals("scim-audit-service")
                    ? " -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70"
                    : " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"), name + ": " + options);
        }
    }

    @Test
    void heapFreeRatioIsChartWideWithAPerServiceOverride() throws Exception {
        List<JsonNode> objects = render(command -> command.set("heapFreeRatio.min", "15").set("heapFreeRatio.max", "30")
                .set("services.gateway.heapFreeRatio.min", "20").set("services.gateway.heapFreeRatio.max", "40"));
        Map<String, String> options = new TreeMap<>();
        kind(objects, "Deployment").forEach(deployment -> options.put(deployment.path("metadata").path("name").asText(),
                env(deployment, "JAVA_OPTS_APPEND").path("value").asText()));
        String prefix = "-XX:MaxRAMPercentage=75 -Xms16m ";
        assertEquals(Map.of(
                "scim-scim-gateway", prefix + "-XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40",
                "scim-membership-service", prefix + "-XX:MinHeapFreeRatio=15 -XX:MaxHeapFreeRatio=30",
                "scim-group-sync-service", prefix + "-XX:MinHeapFreeRatio=15 -XX:MaxHeapFreeRatio=30",
                "scim-audit-service", prefix + "-XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70"), options);
        Exception inverted = assertThrows(Exception.class, () -> render(command -> command
                .set("services.audit.heapFreeRatio.min", "80")));
        assertTrue(inverted.getMessage().contains("heapFreeRatio of audit"), inverted.getMessage());
    }

    @Test
    void highAvailabilityValuesScaleRestrictAdminAndScrape() throws Exception {
        List<JsonNode> objects = render(command -> command.withValuesFile(CHART.resolve("ci/ha-values.yaml")));

        JsonNode gateway = named(objects, "Deployment", "scim-scim-gateway");
        assertFalse(gateway.path("spec").has("replicas"), "the autoscaler owns the replica count");
        assertEquals(10, named(objects, "HorizontalPodAutoscaler", "scim-scim-gateway").path("spec").path("maxReplicas")
                .asInt());
        assertEquals(4, kind(objects, "PodDisruptionBudget").size());
        assertEquals(4, kind(objects, "ServiceMonitor").size());
        assertEquals("scim-kafka-user", env(gateway, "KAFKA_SASL_JAAS_CONFIG").path("valueFrom").path("secretKeyRef")
                .path("name").asText());
        JsonNode admin = named(objects, "Ingress", "scim-admin");
        assertEquals("10.20.0.0/16", admin.path("metadata").path("annotations")
                .path("nginx.ingress.kubernetes.io/whitelist-source-range").asText());
        assertFalse(named(objects, "Ingress", "scim-scim").path("metadata").path("annotations")
                .has("nginx.ingress.kubernetes.io/whitelist-source-range"), "SCIM stays open to the IdPs");
        assertEquals("acme", env(named(objects, "Deployment", "scim-membership-service"), "BOOTSTRAP_ORGANIZATION")
                .path("value").asText());
        assertEquals("scim.acme.example", admin.path("spec").path("tls").get(0).path("hosts").get(0).asText());
        List<String> adminPaths = new java.util.ArrayList<>();
        admin.path("spec").path("rules").get(0).path("http").path("paths")
                .forEach(path -> adminPaths.add(path.path("path").asText()));
        assertEquals("https://scim.acme.example/scim/v2", named(objects, "ConfigMap", "scim-config").path("data")
                .path("CONSOLE_SCIM_BASE_URL").asText());
        assertEquals(List.of("/admin", "/console"), adminPaths, "the console shares the admin ingress and its CIDRs");
        assertEquals("/scim", named(objects, "Ingress", "scim-scim").path("spec").path("rules").get(0).path("http")
                .path("paths").get(0).path("path").asText());
    }

    @Test
    void strimziValuesDeclareEveryTopicForTheOperator() throws Exception {
        List<JsonNode> objects = render(command -> command.withValuesFile(CHART.resolve("ci/strimzi-values.yaml")));

        List<JsonNode> topics = kind(objects, "KafkaTopic");
        assertEquals(List.of("admin.actions", "audit.chain-heads", "audit.dlq", "group.placements", "membership.events",
                        "membership.state", "scim.command.outcomes", "scim.credentials",
                        "scim.group.commands", "scim.group.commands.dlq", "scim.user.commands", "scim.user.commands.dlq",
                        "team.events"),
                topics.stream().map(t -> t.path("spec").path("topicName").asText()).sorted().toList());
        JsonNode commands = named(objects, "KafkaTopic", "scim-user-commands");
        assertEquals("platform-kafka", commands.path("metadata").path("labels").path("strimzi.io/cluster").asText());
        assertEquals(12, commands.path("spec").path("partitions").asInt());
        assertEquals("2", commands.path("spec").path("config").path("min.insync.replicas").asText());
        JsonNode credentials = named(objects, "KafkaTopic", "scim-credentials");
        assertEquals("compact", credentials.path("spec").path("config").path("cleanup.policy").asText());
        assertEquals(1, credentials.path("spec").path("partitions").asInt());
        assertEquals("compact", named(objects, "KafkaTopic", "audit-chain-heads").path("spec").path("config")
                .path("cleanup.policy").asText());
        assertEquals("compact", named(objects, "KafkaTopic", "membership-state").path("spec").path("config")
                .path("cleanup.policy").asText());
        assertEquals("604800000", named(objects, "KafkaTopic", "membership-state").path("spec").path("config")
                .path("max.compaction.lag.ms").asText(), "a removed member's older records go within a week");
        assertTrue(commands.path("spec").path("config").path("max.compaction.lag.ms").isMissingNode());
        assertEquals("compact", named(objects, "KafkaTopic", "group-placements").path("spec").path("config")
                .path("cleanup.policy").asText());
        topics.forEach(topic -> assertEquals("keep", topic.path("metadata").path("annotations")
                .path("helm.sh/resource-policy").asText(), "an uninstall keeps " + topic.path("spec").path("topicName")));
        // group-sync-service learns deactivations from the outcomes: kept as long as the commands it may replay.
        assertEquals(commands.path("spec").path("config").path("retention.ms").asText(), named(objects, "KafkaTopic",
                "scim-command-outcomes").path("spec").path("config").path("retention.ms").asText());
        assertEquals("SSL", named(objects, "ConfigMap", "scim-config").path("data").path("KAFKA_SECURITY_PROTOCOL")
                .asText());
    }

    @Test
    void kafkaConnectCapturesEachOutboxAsTheEmbeddedEngineWouldAndTheServicesStandDown() throws Exception {
        List<JsonNode> embedded = render(command -> command);
        assertTrue(kind(embedded, "KafkaConnector").isEmpty());
        assertEquals("true", named(embedded, "ConfigMap", "scim-config").path("data").path("OUTBOX_ENABLED").asText());

        List<JsonNode> objects = render(command -> command.withValuesFile(CHART.resolve("ci/strimzi-values.yaml")));

        JsonNode settings = named(objects, "ConfigMap", "scim-config").path("data");
        assertEquals("false", settings.path("OUTBOX_ENABLED").asText());
        assertEquals("http://otel-collector.observability:4317", settings.path("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText());
        assertFalse(named(embedded, "ConfigMap", "scim-config").path("data").has("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT"),
                "no endpoint unless one is given");
        // The exporter is fixed when the services are built; set at run time it only makes Quarkus warn.
        assertFalse(settings.has("QUARKUS_OTEL_TRACES_EXPORTER"), "the exporter is a build-time property");
        JsonNode membership = named(objects, "KafkaConnector", "scim-membership-service-outbox");
        assertEquals("platform-connect", membership.path("metadata").path("labels").path("strimzi.io/cluster").asText());
        JsonNode config = membership.path("spec").path("config");
        assertEquals("membership", config.path("database.dbname").asText());
        assertEquals("${secrets:identity/scim-postgresql:password}", config.path("database.password").asText());
        // Every capture and routing setting of the embedded engine, the same here.
        java.util.Properties engine = new dev.scimsync.outbox.OutboxRelaySettings("membership-service", "h", 1, "d",
                "u", "p", "membership_outbox", "membership_outbox", java.util.Set.of("membership.events"), "b",
                java.util.Map.of(), (short) 1, java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(1))
                .engineProperties();
        for (String key : engine.stringPropertyNames()) {
            if (key.startsWith("transforms.") || key.startsWith("slot.") || key.startsWith("publication.")
                    || key.startsWith("snapshot.") || key.startsWith("table.") || key.equals("plugin.name")
                    || key.equals("topic.prefix") || key.endsWith(".converter") || key.startsWith("predicates")
                    || key.equals("heartbeat.action.query")) {
                String expected = key.equals("transforms") ? engine.getProperty(key) + ",specversion,source,contenttype"
                        : engine.getProperty(key);
                assertEquals(expected, config.path(key).asText(), key);
            }
        }
        assertEquals("/scim-provisioning/group-sync-service", named(objects, "KafkaConnector",
                "scim-group-sync-service-outbox").path("spec").path("config").path("transforms.source.value.literal")
                .asText());
    }

    @Test
    void theRateLimitSettingsReachTheGateway() throws Exception {
        JsonNode defaults = named(render(command -> command), "ConfigMap", "scim-config").path("data");
        assertEquals(List.of("true", "100", "200", "1s"), List.of(defaults.path("SCIM_RATE_LIMIT_ENABLED").asText(),
                defaults.path("SCIM_RATE_LIMIT_RPS").asText(), defaults.path("SCIM_RATE_LIMIT_BURST").asText(),
                defaults.path("SCIM_RATE_LIMIT_REFUSAL_DELAY").asText()));
        JsonNode tuned = named(render(command -> command.set("rateLimit.requestsPerSecond", "20")
                .set("rateLimit.refusalDelay", "500ms")), "ConfigMap", "scim-config").path("data");
        assertEquals("20", tuned.path("SCIM_RATE_LIMIT_RPS").asText());
        assertEquals("500ms", tuned.path("SCIM_RATE_LIMIT_REFUSAL_DELAY").asText());
    }

    @Test
    void theCostlyQueriesTurnsReachMembershipAndGroupSyncService() throws Exception {
        JsonNode defaults = named(render(command -> command), "ConfigMap", "scim-config").path("data");
        assertEquals(List.of("4", "4", "2", "3s"), List.of(defaults.path("MEMBERSHIP_QUERIES_AT_ONCE").asText(),
                defaults.path("MEMBERSHIP_QUERIES_WAITING").asText(),
                defaults.path("MEMBERSHIP_QUERIES_PER_CONNECTION").asText(),
                defaults.path("MEMBERSHIP_QUERIES_TIMEOUT").asText()));
        JsonNode tuned = named(render(command -> command.set("costlyQueries.atOnce", "8")
                .set("costlyQueries.timeout", "1500ms")), "ConfigMap", "scim-config").path("data");
        assertEquals(List.of("8", "4", "1500ms"), List.of(tuned.path("MEMBERSHIP_QUERIES_AT_ONCE").asText(),
                tuned.path("MEMBERSHIP_QUERIES_WAITING").asText(), tuned.path("MEMBERSHIP_QUERIES_TIMEOUT").asText()));
        assertEquals(List.of("8", "4", "2", "1500ms"), List.of(tuned.path("GROUPS_QUERIES_AT_ONCE").asText(),
                tuned.path("GROUPS_QUERIES_WAITING").asText(), tuned.path("GROUPS_QUERIES_PER_CONNECTION").asText(),
                tuned.path("GROUPS_QUERIES_TIMEOUT").asText()));
    }

    @Test
    void theInvitationsAndAdminTokensValidityReachMembershipService() throws Exception {
        JsonNode defaults = named(render(command -> command), "ConfigMap", "scim-config").path("data");
        assertEquals("P14D", defaults.path("MEMBERSHIP_INVITATIONS_VALID_FOR").asText());
        assertEquals("P90D", defaults.path("MEMBERSHIP_ADMIN_TOKENS_VALID_FOR").asText());
        JsonNode tuned = named(render(command -> command.set("invitations.validFor", "P3D")
                .set("adminTokens.validFor", "P30D")), "ConfigMap", "scim-config").path("data");
        assertEquals("P3D", tuned.path("MEMBERSHIP_INVITATIONS_VALID_FOR").asText());
        assertEquals("P30D", tuned.path("MEMBERSHIP_ADMIN_TOKENS_VALID_FOR").asText());
    }

    /**
     * Failed sign-ins are throttled per client address: behind the ingress the gateway must read the forwarded
     * address, from the controller only; console sessions live in one replica, so the admin ingress sticks.
     */
    @Test
    void behindTheIngressTheGatewayTrustsOnlyTheControllersForwardingAndTheConsoleSticks() throws Exception {
        assertNull(env(named(render(command -> command), "Deployment", "scim-scim-gateway"),
                "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"), "without the ingress, the client's own address");
        Exception untrusted = assertThrows(Exception.class, () -> render(command -> command.set("ingress.enabled", "true")));
        assertTrue(untrusted.getMessage().contains("ingress.enabled needs ingress.trustedProxies"), untrusted.getMessage());

        List<JsonNode> proxied = render(command -> command.set("ingress.enabled", "true")
                .set("ingress.trustedProxies[0]", "10.0.0.0/8").set("ingress.trustedProxies[1]", "fd00::/8"));
        assertEquals("cookie", named(proxied, "Ingress", "scim-admin").path("metadata").path("annotations")
                .path("nginx.ingress.kubernetes.io/affinity").asText());
        assertTrue(named(proxied, "Ingress", "scim-scim").path("metadata").path("annotations")
                .path("nginx.ingress.kubernetes.io/affinity").isMissingNode(), "SCIM requests need no affinity");
        JsonNode gateway = named(proxied, "Deployment", "scim-scim-gateway");
        assertEquals("10.0.0.0/8,fd00::/8", env(gateway, "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES").path("value").asText());
        assertEquals("true", env(gateway, "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING").path("value").asText());
        assertEquals("true", env(gateway, "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED").path("value").asText());
        assertNull(env(named(proxied, "Deployment", "scim-membership-service"), "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"),
                "only the gateway is behind the ingress");
        Exception notAnAddress = assertThrows(Exception.class,
                () -> render(command -> command.set("ingress.trustedProxies[0]", "the ingress")));
        assertTrue(notAnAddress.getMessage().contains("trustedProxies"), notAnAddress.getMessage());
    }

    /** nginx sizes: a number of bytes, or with k or m (KiB, MiB) as ingress.bodySizeLimit takes them. */
    private static long nginxSize(String size) {
        String lower = size.toLowerCase(java.util.Locale.ROOT);
        long unit = lower.endsWith("m") ? 1024 * 1024 : lower.endsWith("k") ? 1024 : 1;
        return Long.parseLong(unit == 1 ? lower : lower.substring(0, lower.length() - 1)) * unit;
    }

    @Test
    void theIngressPassesEveryBodyTheGatewayAnswersWithAScimError() throws Exception {
        String bodyBytes = ServiceConfig.of("scim-gateway").productionValue("scim.limits.body-bytes").orElseThrow();
        long gatewayLimit = Long.parseLong(bodyBytes.replaceAll("^\\$\\{[A-Z_]+:(\\d+)}$", "$1"));
        String ingressLimit = named(render(command -> command.set("ingress.enabled", "true")
                .set("ingress.trustedProxies[0]", "10.0.0.0/8")), "Ingress", "scim-scim")
                .path("metadata").path("annotations").path("nginx.ingress.kubernetes.io/proxy-body-size").asText();
        assertTrue(nginxSize(ingressLimit) > gatewayLimit,
                "ingress.bodySizeLimit " + ingressLimit + " must exceed scim.limits.body-bytes " + gatewayLimit);
    }

    @Test
    void badValuesFailWithAClearMessage() {
        Exception noKafka = assertThrows(Exception.class, () -> render(command -> command.set("kafka.bootstrapServers", "")));
        assertTrue(noKafka.getMessage().contains("bootstrapServers"), noKafka.getMessage());
        Exception protocol = assertThrows(Exception.class,
                () -> render(command -> command.set("kafka.securityProtocol", "TLS")));
        assertTrue(protocol.getMessage().contains("securityProtocol"), protocol.getMessage());
        Exception cidr = assertThrows(Exception.class,
                () -> render(command -> command.set("admin.allowedCidrs[0]", "the office")));
        assertTrue(cidr.getMessage().contains("allowedCidrs"), cidr.getMessage());
        Exception noSecret = assertThrows(Exception.class,
                () -> render(command -> command.set("postgresql.existingSecret", "")));
        assertTrue(noSecret.getMessage().contains("postgresql.existingSecret"), noSecret.getMessage());
        Exception delay = assertThrows(Exception.class,
                () -> render(command -> command.set("rateLimit.refusalDelay", "a while")));
        assertTrue(delay.getMessage().contains("refusalDelay"), delay.getMessage());
    }

    // ---- wiring of every service, in every values file ----

    /** Secrets a platform team creates before installing with the ci/ values files (RenderedChartRunsIT too). */
    static Map<String, Map<String, String>> clusterSecrets() {
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        secrets.put("scim-postgresql", Map.of("username", "scim", "password", "p"));
        secrets.put("scim-admin", Map.of("admin-token", "adm_0123456789012345678901234567890123"));
        secrets.put("scim-audit-chain", Map.of("AUDIT_CHAIN_KEYS_K1", "0123456789abcdef0123456789abcdef"));
        secrets.put("scim-audit-runtime", Map.of("username", "scim_audit_runtime", "password", "r"));
        secrets.put("scim-kafka-user", Map.of("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
        secrets.put("kafka-cluster-ca", Map.of("ca.crt", "-----BEGIN CERTIFICATE-----"));
        secrets.put("scim-kafka-client", Map.of("user.crt", "c", "user.key", "k"));
        secrets.put("platform-kafka-cluster-ca-cert", Map.of("ca.crt", "-----BEGIN CERTIFICATE-----"));
        for (String service : List.of("scim-gateway", "membership-service", "group-sync-service", "audit-service")) {
            secrets.put("scim-" + service, Map.of("user.crt", "c", "user.key", "k"));
        }
        return secrets;
    }

    private static Map<String, Map<String, String>> resolvedEnvironments(RenderedChart chart) {
        PodEnvironment environments = new PodEnvironment(chart, clusterSecrets());
        Map<String, Map<String, String>> envs = new TreeMap<>();
        for (JsonNode deployment : chart.kind("Deployment")) {
            envs.put(deployment.path("metadata").path("name").asText(), environments.resolve(deployment));
        }
        return envs;
    }

    private static Map<String, RenderedChart> everyValuesFile() throws Exception {
        Map<String, RenderedChart> charts = new LinkedHashMap<>();
        charts.put("values.yaml", RenderedChart.render(List.of(), c -> c));
        for (Map.Entry<String, Path> file : RenderedChart.ciValuesFiles().entrySet()) {
            charts.put(file.getKey(), RenderedChart.render(List.of(file.getValue()), c -> c));
        }
        return charts;
    }

    /**
     * Internal API credentials (docs/security.md): the callers (gateway, group-sync) mount their own private key
     * and nobody else's, the called services (all but the gateway) the JWKS, from internalAuth.existingSecret.
     */
    @Test
    void everyServiceMountsOnlyItsOwnInternalAuthKeyAndTheJwksInEveryValuesFile() throws Exception {
        Map<String, List<String>> expected = Map.of(
                "scim-scim-gateway", List.of("scim-gateway.jwk.json"),
                "scim-membership-service", List.of("jwks.json"),
                "scim-group-sync-service", List.of("group-sync-service.jwk.json", "jwks.json"),
                "scim-audit-service", List.of("jwks.json"));
        for (Map.Entry<String, RenderedChart> rendered : everyValuesFile().entrySet()) {
            Map<String, Map<String, String>> envs = resolvedEnvironments(rendered.getValue());
            for (Map.Entry<String, List<String>> service : expected.entrySet()) {
                JsonNode pod = rendered.getValue().find("Deployment", service.getKey()).orElseThrow()
                        .path("spec").path("template").path("spec");
                JsonNode volume = null;
                for (JsonNode candidate : pod.path("volumes")) {
                    if (candidate.path("name").asText().equals("internal-auth")) {
                        volume = candidate;
                    }
                }
                String where = rendered.getKey() + " " + service.getKey();
                assertNotNull(volume, where);
                assertEquals("scim-internal-auth", volume.path("secret").path("secretName").asText(), where);
                List<String> keys = new ArrayList<>();
                volume.path("secret").path("items").forEach(item -> keys.add(item.path("key").asText()));
                assertEquals(service.getValue(), keys, where);
                Map<String, String> env = envs.get(service.getKey());
                boolean calls = service.getValue().stream().anyMatch(key -> key.endsWith(".jwk.json"));
                assertEquals(calls ? "/etc/scim/internal-auth/private-key.jwk.json" : null,
                        env.get("INTERNAL_AUTH_PRIVATE_KEY_LOCATION"), where);
                assertEquals(service.getValue().contains("jwks.json") ? "/etc/scim/internal-auth/jwks.json" : null,
                        env.get("INTERNAL_AUTH_JWKS_LOCATION"), where);
            }
        }
    }

    @Test
    void everyServiceWithADatabaseGetsItsReactiveAndJdbcUrlsInEveryValuesFile() throws Exception {
        Map<String, String> databaseKeys = Map.of("scim-membership-service", "membership", "scim-group-sync-service",
                "groupSync", "scim-audit-service", "audit");
        for (Map.Entry<String, RenderedChart> rendered : everyValuesFile().entrySet()) {
            RenderedChart chart = rendered.getValue();
            JsonNode postgresql = chart.values().path("postgresql");
            Map<String, Map<String, String>> envs = resolvedEnvironments(chart);
            for (Map.Entry<String, String> service : databaseKeys.entrySet()) {
                Map<String, String> env = envs.get(service.getKey());
                String where = rendered.getKey() + " " + service.getKey();
                String address = postgresql.path("host").asText() + ":" + postgresql.path("port").asText() + "/"
                        + postgresql.path("databases").path(service.getValue()).asText();
                assertEquals("postgresql://" + address, env.get("QUARKUS_DATASOURCE_REACTIVE_URL"), where);
                assertEquals("jdbc:postgresql://" + address, env.get("QUARKUS_DATASOURCE_JDBC_URL"), where);
                assertFalse(env.getOrDefault("QUARKUS_DATASOURCE_USERNAME", "").isEmpty(), where);
                assertFalse(env.getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "").isEmpty(), where);
            }
            assertFalse(envs.get("scim-scim-gateway").containsKey("QUARKUS_DATASOURCE_JDBC_URL"),
                    "the gateway has no database");
        }
    }

    /**
     * With postgresql.auditRuntimeSecret, audit-service migrates as the databases' owner and serves as its runtime
     * role; no other service changes. Without it, audit-service has no separate migration role.
     */
    @Test
    void auditServiceMigratesAsTheOwnerAndServesAsItsRuntimeRoleWhenOneIsGiven() throws Exception {
        List<JsonNode> objects = render(command -> command.set("postgresql.auditRuntimeSecret", "scim-audit-runtime"));
        JsonNode audit = named(objects, "Deployment", "scim-audit-service");
        for (String[] expected : new String[][] {{"QUARKUS_FLYWAY_USERNAME", "scim-postgresql", "username"},
                {"QUARKUS_FLYWAY_PASSWORD", "scim-postgresql", "password"},
                {"QUARKUS_DATASOURCE_USERNAME", "scim-audit-runtime", "username"},
                {"QUARKUS_DATASOURCE_PASSWORD", "scim-audit-runtime", "password"}}) {
            JsonNode reference = env(audit, expected[0]).path("valueFrom").path("secretKeyRef");
            assertEquals(expected[1], reference.path("name").asText(), expected[0]);
            assertEquals(expected[2], reference.path("key").asText(), expected[0]);
        }
        for (String other : List.of("scim-membership-service", "scim-group-sync-service")) {
            JsonNode deployment = named(objects, "Deployment", other);
            assertEquals("scim-postgresql", env(deployment, "QUARKUS_DATASOURCE_USERNAME").path("valueFrom")
                    .path("secretKeyRef").path("name").asText(), other);
            assertNull(env(deployment, "QUARKUS_FLYWAY_USERNAME"), other);
        }
        JsonNode withoutRuntimeRole = named(render(command -> command), "Deployment", "scim-audit-service");
        assertNull(env(withoutRuntimeRole, "QUARKUS_FLYWAY_USERNAME"));
        assertEquals("scim-postgresql", env(withoutRuntimeRole, "QUARKUS_DATASOURCE_USERNAME").path("valueFrom")
                .path("secretKeyRef").path("name").asText());
    }

    /**
     * The values files RenderedChartRunsIT does not start (minimal, strimzi): every Deployment's environment resolves (each ConfigMap
     * and Secret key it names exists) and carries every variable the started configurations give that service,
     * pointing at this file's own Kafka and services.
     */
    @Test
    void theValuesFilesNotStartedWireEveryServiceWithTheSameSettingsAsTheStartedOnes() throws Exception {
        Map<String, RenderedChart> charts = everyValuesFile();
        Map<String, Map<String, String>> started = resolvedEnvironments(charts.get("values.yaml"));
        Map<String, Map<String, String>> tls = resolvedEnvironments(charts.get("tls-values.yaml"));
        assertEquals(Set.of("values.yaml", "tls-values.yaml", "ha-values.yaml", "minimal-values.yaml",
                "strimzi-values.yaml"), charts.keySet(), "a new ci/ file: start it in RenderedChartRunsIT or check it here");
        for (String file : List.of("minimal-values.yaml", "strimzi-values.yaml")) {
            RenderedChart chart = charts.get(file);
            Map<String, Map<String, String>> envs = resolvedEnvironments(chart);
            assertEquals(started.keySet(), envs.keySet(), file);
            for (Map.Entry<String, Map<String, String>> service : envs.entrySet()) {
                Set<String> missing = new TreeSet<>(started.get(service.getKey()).keySet());
                missing.removeAll(service.getValue().keySet());
                assertEquals(Set.of(), missing, file + " " + service.getKey() + " lacks what the started run had");
                Map<String, String> env = service.getValue();
                assertEquals(chart.values().path("kafka").path("bootstrapServers").asText(),
                        env.get("KAFKA_BOOTSTRAP_SERVERS"), file);
                assertEquals("http://scim-membership-service:8080", env.get("MEMBERSHIP_SERVICE_URL"), file);
                String protocol = chart.values().path("kafka").path("securityProtocol").asText();
                assertEquals(protocol, env.get("KAFKA_SECURITY_PROTOCOL"), file);
                if (protocol.equals("SSL")) {
                    Set<String> tlsKeys = new TreeSet<>(tls.get(service.getKey()).keySet());
                    tlsKeys.removeAll(env.keySet());
                    assertEquals(Set.of(), tlsKeys, file + " " + service.getKey() + " lacks TLS settings of tls-values");
                }
            }
        }
    }

    @Test
    void aReferenceToAMissingSecretKeyIsNamedBeforeAnythingRuns() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(), c -> c.set("postgresql.passwordKey", "pass"));
        AssertionError missing = assertThrows(AssertionError.class, () -> resolvedEnvironments(chart));
        assertTrue(missing.getMessage().contains("QUARKUS_DATASOURCE_PASSWORD")
                && missing.getMessage().contains("Secret scim-postgresql has no key pass"), missing.getMessage());
    }

    // ---- Kafka security ----

    @Test
    void kafkaTlsTakesTheCaAndClientCertificateFromSecretsForEveryService() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(CHART.resolve("ci/tls-values.yaml")), c -> c);
        for (JsonNode deployment : chart.kind("Deployment")) {
            Map<String, String> env = new PodEnvironment(chart, clusterSecrets()).resolve(deployment);
            assertEquals("SSL", env.get("KAFKA_SECURITY_PROTOCOL"));
            assertEquals("PEM", env.get("KAFKA_SSL_TRUSTSTORE_TYPE"));
            assertEquals("/etc/scim/kafka-ca/ca.crt", env.get("KAFKA_SSL_TRUSTSTORE_LOCATION"));
            assertEquals("PEM", env.get("KAFKA_SSL_KEYSTORE_TYPE"));
            assertEquals("c", env.get("KAFKA_SSL_KEYSTORE_CERTIFICATE_CHAIN"));
            assertEquals("k", env.get("KAFKA_SSL_KEYSTORE_KEY"));
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode volume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                    .filter(v -> v.path("name").asText().equals("kafka-ca")).findFirst().orElseThrow();
            assertEquals("kafka-cluster-ca", volume.path("secret").path("secretName").asText());
            assertEquals("ca.crt", volume.path("secret").path("items").get(0).path("path").asText());
        }
    }

    @Test
    void strimziUsersGiveEachServiceItsOwnIdentityAndStrimziResourcesGoToTheOperatorsNamespace() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(CHART.resolve("ci/strimzi-values.yaml")), c -> c);
        List<JsonNode> users = chart.kind("KafkaUser");
        assertEquals(List.of("scim-audit-service", "scim-group-sync-service", "scim-membership-service",
                "scim-scim-gateway"), users.stream().map(u -> u.path("metadata").path("name").asText()).sorted().toList());
        for (JsonNode user : users) {
            assertEquals("tls", user.path("spec").path("authentication").path("type").asText());
            assertEquals("platform-kafka", user.path("metadata").path("labels").path("strimzi.io/cluster").asText());
        }
        for (String kind : List.of("KafkaUser", "KafkaTopic", "KafkaConnector")) {
            chart.kind(kind).forEach(o -> assertEquals("kafka", o.path("metadata").path("namespace").asText(), kind));
        }
        JsonNode gateway = chart.named("Deployment", "scim-scim-gateway");
        assertEquals("scim-scim-gateway", RenderedChart.env(gateway, "KAFKA_SSL_KEYSTORE_KEY").path("valueFrom")
                .path("secretKeyRef").path("name").asText(), "the gateway's own KafkaUser Secret");
        assertEquals("${secrets:identity/scim-postgresql:password}", chart.named("KafkaConnector",
                "scim-membership-service-outbox").path("spec").path("config").path("database.password").asText(),
                "the credentials stay in the release's namespace");

        RenderedChart scram = RenderedChart.render(List.of(), c -> c.set("strimzi.enabled", "true")
                .set("strimzi.users.enabled", "true").set("strimzi.users.authentication", "scram-sha-512")
                .set("kafka.securityProtocol", "SASL_SSL").set("kafka.saslMechanism", "SCRAM-SHA-512"));
        JsonNode audit = scram.named("Deployment", "scim-audit-service");
        assertEquals("scim-audit-service", RenderedChart.env(audit, "KAFKA_SASL_JAAS_CONFIG").path("valueFrom")
                .path("secretKeyRef").path("name").asText());
        assertEquals("sasl.jaas.config", RenderedChart.env(audit, "KAFKA_SASL_JAAS_CONFIG").path("valueFrom")
                .path("secretKeyRef").path("key").asText());
        assertEquals("identity", scram.kind("KafkaUser").get(0).path("metadata").path("namespace").asText(),
                "without strimzi.namespace: the release's");
    }

    @Test
    void kafkaSecuritySettingsThatCannotWorkAreRefused() {
        Exception caWithoutTls = assertThrows(Exception.class, () -> render(c -> c
                .set("kafka.tls.caSecret.name", "ca")));
        assertTrue(caWithoutTls.getMessage().contains("kafka.securityProtocol is PLAINTEXT"), caWithoutTls.getMessage());
        Exception saslWithoutSecret = assertThrows(Exception.class, () -> render(c -> c
                .set("kafka.securityProtocol", "SASL_SSL").set("kafka.saslMechanism", "PLAIN")));
        assertTrue(saslWithoutSecret.getMessage().contains("saslJaasConfigSecret"), saslWithoutSecret.getMessage());
        Exception tlsUsersOnSasl = assertThrows(Exception.class, () -> render(c -> c.set("strimzi.enabled", "true")
                .set("strimzi.users.enabled", "true").set("kafka.securityProtocol", "SASL_SSL")
                .set("kafka.saslMechanism", "PLAIN").set("kafka.saslJaasConfigSecret.name", "s")));
        assertTrue(tlsUsersOnSasl.getMessage().contains("strimzi.users.authentication tls needs"),
                tlsUsersOnSasl.getMessage());
    }

    // ---- monitoring ----

    @Test
    void prometheusMayScrapeTheInternalServicesAndFindsItsServiceMonitors() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(), c -> c.set("serviceMonitor.enabled", "true")
                .set("serviceMonitor.labels.release", "kube-prometheus-stack")
                .set("networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name", "monitoring")
                .set("networkPolicy.metricsFrom[0].podSelector.matchLabels.app", "prometheus"));
        JsonNode rules = chart.named("NetworkPolicy", "scim-internal").path("spec").path("ingress");
        JsonNode scrape = rules.get(rules.size() - 1);
        assertEquals("monitoring", scrape.path("from").get(0).path("namespaceSelector").path("matchLabels").path("name")
                .asText());
        assertEquals("prometheus", scrape.path("from").get(0).path("podSelector").path("matchLabels").path("app")
                .asText(), "namespace and pod selector in one peer: Prometheus pods of that namespace");
        assertEquals(8080, scrape.path("ports").get(0).path("port").asInt());
        assertEquals(4, chart.kind("ServiceMonitor").size());
        chart.kind("ServiceMonitor").forEach(m -> assertEquals("kube-prometheus-stack",
                m.path("metadata").path("labels").path("release").asText()));
        assertEquals(2, RenderedChart.render(List.of(), c -> c).named("NetworkPolicy", "scim-internal")
                .path("spec").path("ingress").size(), "without metricsFrom: the gateway and helm test pods only");
        Exception unscraped = assertThrows(Exception.class, () -> RenderedChart.render(List.of(),
                c -> c.set("serviceMonitor.enabled", "true")));
        assertTrue(unscraped.getMessage().contains("serviceMonitor.enabled needs networkPolicy.metricsFrom"),
                unscraped.getMessage());
    }

    @Test
    void alertRulesCoverWhatTheArchitectureSaysToWatch() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(), c -> c.set("prometheusRule.enabled", "true")
                .set("prometheusRule.labels.release", "kube-prometheus-stack"));
        JsonNode rule = chart.named("PrometheusRule", "scim-alerts");
        assertEquals("kube-prometheus-stack", rule.path("metadata").path("labels").path("release").asText());
        Map<String, String> expressions = new TreeMap<>();
        rule.path("spec").path("groups").get(0).path("rules").forEach(r -> expressions.put(r.path("alert").asText(),
                r.path("expr").asText()));
        assertEquals(Set.of("ScimOutboxCaptureNotStreaming", "ScimDeadLetters", "ScimServerErrors", "ScimUnavailable",
                "ScimRateLimited", "ScimConsumerLag", "ScimOutcomeTimeouts"), expressions.keySet());
        // Each names a series the services really export (see the Grafana dashboard and the services' meters).
        Map<String, String> series = Map.of("ScimOutboxCaptureNotStreaming", "outbox_relay_streaming",
                "ScimDeadLetters", "audit_dead_letter_records", "ScimServerErrors", "status=~\"5..\"",
                "ScimUnavailable", "status=\"503\"", "ScimRateLimited", "scim_rate_limited_requests_total",
                "ScimConsumerLag", "kafka_consumer_fetch_manager_records_lag_max",
                "ScimOutcomeTimeouts", "scim_command_outcome_seconds_count");
        series.forEach((alert, metric) -> assertTrue(expressions.get(alert).contains(metric), alert));
        assertTrue(expressions.get("ScimOutcomeTimeouts").contains("result=\"unavailable\""));

        RenderedChart connect = RenderedChart.render(List.of(CHART.resolve("ci/strimzi-values.yaml")),
                c -> c.set("prometheusRule.enabled", "true"));
        assertTrue(StreamSupport.stream(connect.named("PrometheusRule", "scim-alerts").path("spec").path("groups").get(0)
                .path("rules").spliterator(), false).noneMatch(r -> r.path("alert").asText().contains("Capture")),
                "with Kafka Connect capturing, the services export no outbox_relay_streaming");
        assertTrue(RenderedChart.render(List.of(), c -> c).kind("PrometheusRule").isEmpty());
    }

    @Test
    void grafanaGetsTheProjectsDashboardAsALabelledConfigMap() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(), c -> c.set("grafanaDashboard.enabled", "true"));
        JsonNode dashboard = chart.named("ConfigMap", "scim-grafana-dashboard");
        assertEquals("1", dashboard.path("metadata").path("labels").path("grafana_dashboard").asText());
        String shipped = dashboard.path("data").path("scim-provisioning.json").asText();
        String source = Files.readString(CHART.resolve("../../grafana/scim-provisioning.json").normalize());
        assertEquals(RenderedChart.YAML.readTree(source), RenderedChart.YAML.readTree(shipped),
                "the chart's copy (dashboards/) is deploy/grafana's dashboard: copy it over when that changes");
        assertTrue(RenderedChart.render(List.of(), c -> c).find("ConfigMap", "scim-grafana-dashboard").isEmpty());
    }

    // ---- hygiene ----

    @Test
    void everyObjectCarriesTheStandardLabelsAndEachServiceItsComponent() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(CHART.resolve("ci/strimzi-values.yaml")),
                KubernetesSchemasTest.EVERYTHING);
        for (JsonNode object : chart.objects()) {
            JsonNode labels = object.path("metadata").path("labels");
            String id = object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
            assertEquals("Helm", labels.path("app.kubernetes.io/managed-by").asText(), id);
            assertEquals("scim", labels.path("app.kubernetes.io/instance").asText(), id);
            assertEquals("scim-provisioning", labels.path("app.kubernetes.io/part-of").asText(), id);
            assertEquals("0.1.0", labels.path("app.kubernetes.io/version").asText(), id);
            assertTrue(labels.path("helm.sh/chart").asText().startsWith("scim-provisioning-"), id);
        }
        Map<String, String> components = Map.of("scim-scim-gateway", "gateway", "scim-membership-service", "membership",
                "scim-group-sync-service", "group-sync", "scim-audit-service", "audit");
        components.forEach((name, component) -> {
            JsonNode deployment = chart.named("Deployment", name);
            assertEquals(component, deployment.path("metadata").path("labels").path("app.kubernetes.io/component").asText());
            assertEquals(component, deployment.path("spec").path("template").path("metadata").path("labels")
                    .path("app.kubernetes.io/component").asText());
            assertFalse(deployment.path("spec").path("selector").path("matchLabels").has("app.kubernetes.io/version"),
                    "selectors must not change on upgrade");
        });
    }

    @Test
    void nameOverridesRenameEveryObjectAndKeepTheWiring() throws Exception {
        RenderedChart full = RenderedChart.render(List.of(CHART.resolve("ci/minimal-values.yaml")),
                c -> c.set("fullnameOverride", "idp"));
        assertEquals(List.of("idp-audit-service", "idp-group-sync-service", "idp-membership-service", "idp-scim-gateway"),
                full.kind("Deployment").stream().map(d -> d.path("metadata").path("name").asText()).sorted().toList());
        JsonNode config = full.named("ConfigMap", "idp-config").path("data");
        assertEquals("http://idp-membership-service:8080", config.path("MEMBERSHIP_SERVICE_URL").asText());
        assertEquals("http://idp-group-sync-service:8080", config.path("GROUP_SYNC_SERVICE_URL").asText());
        assertEquals("http://idp-audit-service:8080", config.path("AUDIT_SERVICE_URL").asText());
        full.find("Secret", "idp-postgresql").orElseThrow();
        full.find("Secret", "idp-admin").orElseThrow();
        // The environment resolves against the renamed ConfigMap and Secrets.
        resolvedEnvironments(full).values().forEach(env -> assertEquals("http://idp-membership-service:8080",
                env.get("MEMBERSHIP_SERVICE_URL")));
        full.kind("Service").forEach(s -> assertTrue(s.path("metadata").path("name").asText().startsWith("idp-")));
        full.kind("NetworkPolicy").forEach(n -> assertTrue(n.path("metadata").path("name").asText().startsWith("idp-")));

        RenderedChart named = RenderedChart.render(List.of(), c -> c.set("nameOverride", "sso"));
        named.named("Deployment", "scim-sso-scim-gateway");
        assertEquals("http://scim-sso-audit-service:8080", named.named("ConfigMap", "scim-sso-config").path("data")
                .path("AUDIT_SERVICE_URL").asText());
    }

    @Test
    void schedulingAndExtensionKnobsReachThePods() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(), c -> c.set("nodeSelector.pool", "apps")
                .set("services.audit.nodeSelector.pool", "batch")
                .set("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
                        + ".matchExpressions[0].key", "zone")
                .set("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
                        + ".matchExpressions[0].operator", "Exists")
                .set("tolerations[0].key", "dedicated").set("tolerations[0].operator", "Exists")
                .set("priorityClassName", "business-critical")
                .set("extraEnv[0].name", "TZ").set("extraEnv[0].value", "UTC")
                .set("services.gateway.extraEnv[0].name", "SCIM_MAX_RESULTS").set("services.gateway.extraEnv[0].value", "50")
                .set("serviceAccount.create", "true").set("serviceAccount.annotations.role", "scim")
                .set("podAnnotations.team", "identity"));
        JsonNode gateway = chart.named("Deployment", "scim-scim-gateway").path("spec").path("template");
        JsonNode pod = gateway.path("spec");
        assertEquals("apps", pod.path("nodeSelector").path("pool").asText());
        assertEquals("batch", chart.named("Deployment", "scim-audit-service").path("spec").path("template").path("spec")
                .path("nodeSelector").path("pool").asText(), "a service's own nodeSelector wins");
        assertEquals("zone", pod.path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms").get(0)
                .path("matchExpressions").get(0).path("key").asText());
        assertEquals("dedicated", pod.path("tolerations").get(0).path("key").asText());
        assertEquals("business-critical", pod.path("priorityClassName").asText());
        assertEquals("identity", gateway.path("metadata").path("annotations").path("team").asText());
        assertEquals("UTC", RenderedChart.env(chart.named("Deployment", "scim-audit-service"), "TZ").path("value").asText());
        assertEquals("50", RenderedChart.env(chart.named("Deployment", "scim-scim-gateway"), "SCIM_MAX_RESULTS")
                .path("value").asText());
        assertEquals("scim-scim-provisioning", pod.path("serviceAccountName").asText());
        assertEquals("scim", chart.named("ServiceAccount", "scim-scim-provisioning").path("metadata").path("annotations")
                .path("role").asText());
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), "the services call no Kubernetes API");
        JsonNode spread = pod.path("topologySpreadConstraints").get(0);
        assertEquals("kubernetes.io/hostname", spread.path("topologyKey").asText());
        assertEquals("ScheduleAnyway", spread.path("whenUnsatisfiable").asText());
        assertEquals("scim-gateway", spread.path("labelSelector").path("matchLabels").path("app.kubernetes.io/name").asText());
    }

    @Test
    void podsShutDownGracefully() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(), c -> c.set("shutdown.timeoutSeconds", "25"));
        for (JsonNode deployment : chart.kind("Deployment")) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode container = RenderedChart.container(deployment);
            assertEquals("25s", RenderedChart.env(deployment, "QUARKUS_SHUTDOWN_TIMEOUT").path("value").asText());
            assertEquals("[\"sleep\",\"5\"]", container.path("lifecycle").path("preStop").path("exec").path("command")
                    .toString());
            assertTrue(pod.path("terminationGracePeriodSeconds").asInt() > 25 + 5,
                    "the kubelet waits for preStop and the shutdown timeout before SIGKILL");
        }
    }

    /**
     * Each service's KafkaUser may read exactly the topics its channels consume, write the topics its channels,
     * dead-letter queues and outbox produce, and consume as its own group ids - read from the service's
     * application.properties, so a new channel without its ACL fails here rather than in a secured cluster.
     */
    @Test
    void eachServicesKafkaUserMayUseItsOwnTopicsAndGroupsAndNoOneElses() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(CHART.resolve("ci/strimzi-values.yaml")), c -> c);
        Map<String, Map<String, Set<String>>> granted = new TreeMap<>();
        for (JsonNode user : chart.kind("KafkaUser")) {
            assertEquals("simple", user.path("spec").path("authorization").path("type").asText());
            Map<String, Set<String>> rules = new TreeMap<>();
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                String name = resource.path("type").asText() + ":" + resource.path("name").asText()
                        + (resource.path("patternType").asText().equals("prefix") ? "*" : "");
                acl.path("operations").forEach(op -> rules.computeIfAbsent(name, n -> new TreeSet<>()).add(op.asText()));
            }
            granted.put(user.path("metadata").path("name").asText().replaceFirst("^scim-", ""), rules);
        }
        for (String module : List.of("scim-gateway", "membership-service", "group-sync-service", "audit-service")) {
            Properties properties = applicationProperties(module);
            Map<String, Set<String>> rules = granted.get(module);
            assertNotNull(rules, module + " has a KafkaUser");
            Set<String> reads = new TreeSet<>();
            Set<String> writes = new TreeSet<>();
            Set<String> groups = new TreeSet<>();
            for (String key : properties.stringPropertyNames()) {
                String value = properties.getProperty(key);
                if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topic")) {
                    reads.add(value);
                } else if (key.matches("mp\\.messaging\\.outgoing\\.[^.]+\\.topic")
                        || key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.dead-letter-queue\\.topic")) {
                    writes.add(value);
                } else if (key.equals("outbox.topics")) {
                    writes.addAll(List.of(value.split(",")));
                    writes.add(module + ".outbox-offsets");
                    reads.add(module + ".outbox-offsets");
                } else if (key.matches("mp\\.messaging\\.(incoming\\.[^.]+|connector\\.smallrye-kafka)\\.group\\.id")) {
                    // A per-instance group (scim-gateway-${quarkus.uuid}) is granted by its prefix.
                    groups.add(value.contains("${") ? value.substring(0, value.indexOf("${")) + "*" : value);
                }
            }
            // audit-service writes only from code (audit.dlq, replays), which the template's comment covers.
            assertFalse(reads.isEmpty() || groups.isEmpty(), module + ": " + reads + writes + groups);
            for (String topic : reads) {
                assertTrue(rules.getOrDefault("topic:" + topic, Set.of()).containsAll(Set.of("Read", "Describe")),
                        module + " reads " + topic + ": " + rules);
            }
            for (String topic : writes) {
                assertTrue(rules.getOrDefault("topic:" + topic, Set.of()).containsAll(Set.of("Write", "Describe")),
                        module + " writes " + topic + ": " + rules);
            }
            for (String group : groups) {
                // Literally, or by a prefix rule (group:scim-gateway-*) that covers it.
                boolean readable = rules.entrySet().stream().anyMatch(rule -> rule.getValue().contains("Read")
                        && (rule.getKey().equals("group:" + group) || rule.getKey().endsWith("*")
                                && ("group:" + group).startsWith(rule.getKey().substring(0, rule.getKey().length() - 1))));
                assertTrue(readable, module + " consumes as " + group + ": " + rules);
            }
        }
        // Least privilege: the gateway cannot read the commands it sends, nor group-sync write membership's events.
        assertFalse(granted.get("scim-gateway").getOrDefault("topic:scim.user.commands", Set.of()).contains("Read"));
        assertFalse(granted.get("group-sync-service").containsKey("topic:membership.events"));
        assertFalse(granted.get("scim-gateway").containsKey("group:membership-service"));

        RenderedChart open = RenderedChart.render(List.of(CHART.resolve("ci/strimzi-values.yaml")),
                c -> c.set("strimzi.users.authorization", "none"));
        open.kind("KafkaUser").forEach(user -> assertTrue(user.path("spec").path("authorization").isMissingNode()));
    }

    @Test
    void imagesAreTheAppVersionJibBuildsOrPinnedByDigest() throws Exception {
        String appVersion = RenderedChart.YAML.readTree(CHART.resolve("Chart.yaml").toFile()).path("appVersion").asText();
        RenderedChart chart = RenderedChart.render(List.of(), c -> c);
        for (JsonNode deployment : chart.kind("Deployment")) {
            String image = RenderedChart.container(deployment).path("image").asText();
            String module = ChartProcesses.moduleOf(image);
            assertEquals("ghcr.io/scimsync/" + module + ":" + appVersion, image);
            // What the module's Jib build tags its image with (quarkus.container-image.*).
            Properties properties = applicationProperties(module);
            assertEquals(image, properties.getProperty("quarkus.container-image.registry") + "/"
                    + properties.getProperty("quarkus.container-image.group") + "/"
                    + properties.getProperty("quarkus.application.name") + ":"
                    + properties.getProperty("quarkus.container-image.tag"), module + " builds what the chart pulls");
        }
        String digest = "sha256:" + "ab".repeat(32);
        RenderedChart pinned = RenderedChart.render(List.of(), c -> c.set("image.digests.membership", digest));
        assertEquals("ghcr.io/scimsync/membership-service@" + digest,
                RenderedChart.container(pinned.named("Deployment", "scim-membership-service")).path("image").asText());
        assertEquals("ghcr.io/scimsync/scim-gateway:" + appVersion,
                RenderedChart.container(pinned.named("Deployment", "scim-scim-gateway")).path("image").asText());
    }

    /** A service module's configuration: service-defaults' files with its application.properties over them. */
    private static Properties applicationProperties(String module) {
        return ServiceConfig.of(module).merged();
    }

    @Test
    void theValuesSchemaRefusesWrongValues() throws Exception {
        Map<String, UnaryOperator<TemplateCommand>> wrong = new LinkedHashMap<>();
        wrong.put("kafka", c -> c.set("kafka.bootstrapServer", "k:9092"));
        wrong.put("replicas", c -> c.set("services.gateway.replicas", "two"));
        wrong.put("services", c -> c.set("services.scimGateway.replicas", "1"));
        wrong.put("strimzi", c -> c.set("strimzi.users.authentication", "password"));
        wrong.put("serviceMonitor", c -> c.set("serviceMonitor.interval", "often"));
        wrong.put("metricsFrom", c -> c.set("networkPolicy.metricsFrom[0].namespace", "monitoring"));
        wrong.put("podDisruptionBudget", c -> c.set("podDisruptionBudget.minAvailable", "1"));
        wrong.put("bootstrap", c -> c.set("bootstrap.tenant", "acme"));
        wrong.put("memory", c -> c.set("services.audit.resources.limits.memory", "lots"));
        wrong.put("digests", c -> c.set("image.digests.gateway", "latest"));
        wrong.put("bootstrapServers", c -> c.set("kafka.bootstrapServers", "kafka without a port"));
        wrong.put("prometheusRule", c -> c.set("prometheusRule.serverErrorRatio", "5"));
        wrong.put("costlyQueries", c -> c.set("costlyQueries.timeout", "3"));
        wrong.put("invitations", c -> c.set("invitations.validFor", "14 days"));
        wrong.put("adminTokens", c -> c.set("adminTokens.validFor", "90"));
        assertEquals("1.5Gi", named(render(c -> c.set("services.audit.resources.limits.memory", "1.5Gi")),
                "Deployment", "scim-audit-service").path("spec").path("template").path("spec").path("containers").get(0)
                .path("resources").path("limits").path("memory").asText(), "a decimal quantity is a quantity");
        wrong.forEach((key, values) -> {
            Exception refused = assertThrows(Exception.class, () -> render(values), key);
            assertTrue(refused.getMessage().contains("values don't meet the specifications of the schema"),
                    key + ": " + refused.getMessage());
            assertTrue(refused.getMessage().contains(key), key + ": " + refused.getMessage());
        });
    }

    @Test
    void aShortAdminTokenIsRefused() {
        Exception refused = assertThrows(Exception.class, () -> render(c -> c.set("admin.existingSecret", "")
                .set("admin.token", "short")));
        assertTrue(refused.getMessage().contains("admin.token must be at least 32 characters"), refused.getMessage());
    }

    @Test
    void theNotesTellTheScimUrlAndHowToGetTheFirstToken() {
        String notes = new Helm(CHART).install().withName("scim").withNamespace("identity").clientOnly().dryRun()
                .withDryRunOption(com.marcnuri.helm.DryRun.CLIENT).call().getOutput();
        assertTrue(notes.contains("http://scim-scim-gateway.identity.svc:8080/scim/v2"), notes);
        assertTrue(notes.contains("kubectl -n identity get secret scim-admin"), notes);
        assertTrue(notes.contains("/connections/acme-okta/scim-tokens"), notes);
        String withIngress = new Helm(CHART).install().withName("scim").withNamespace("identity").clientOnly().dryRun()
                .withDryRunOption(com.marcnuri.helm.DryRun.CLIENT).withValuesFile(CHART.resolve("ci/ha-values.yaml"))
                .call().getOutput();
        assertTrue(withIngress.contains("https://scim.acme.example/scim/v2"), withIngress);
        assertTrue(withIngress.contains("organization acme and connection acme-okta are created at"), withIngress);
    }
}
