package dev.scimsync.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The chart, linted strictly and rendered with real Helm for its default and realistic values. */
class ChartTest {

    private static final Path CHART = Path.of("scim-provisioning").toAbsolutePath();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<JsonNode> render(UnaryOperator<TemplateCommand> values) throws Exception {
        String manifest = values.apply(new Helm(CHART).template().withName("scim").withNamespace("identity")).call();
        List<JsonNode> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(manifest)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    objects.add(node);
                }
            });
        }
        return objects;
    }

    private static List<JsonNode> kind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    private static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return kind(objects, kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode env(JsonNode deployment, String name) {
        JsonNode env = deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env");
        return StreamSupport.stream(env.spliterator(), false).filter(e -> name.equals(e.path("name").asText()))
                .findFirst().orElse(null);
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

        assertEquals(2, kind(objects, "Secret").size());
        assertEquals("change-me", named(objects, "Secret", "scim-postgresql").path("stringData").path("password").asText());
        kind(objects, "Deployment").forEach(d -> assertEquals(1, d.path("spec").path("replicas").asInt()));
        assertTrue(kind(objects, "PodDisruptionBudget").isEmpty(), "one replica: no disruption budget");
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
        assertEquals(List.of("audit.dlq", "membership.events", "scim.command.outcomes", "scim.credentials",
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
        assertEquals("cdi", settings.path("QUARKUS_OTEL_TRACES_EXPORTER").asText());
        assertEquals("http://otel-collector.observability:4317", settings.path("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText());
        assertFalse(named(embedded, "ConfigMap", "scim-config").path("data").has("QUARKUS_OTEL_TRACES_EXPORTER"),
                "no exporter unless an endpoint is given");
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
}
