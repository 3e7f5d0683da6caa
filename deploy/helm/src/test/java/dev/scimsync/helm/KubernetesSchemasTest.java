package dev.scimsync.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Every object the chart renders, with each values file of ci/ and with every optional part switched on, is
 * valid against the Kubernetes API's JSON schemas of a supported version (strict: unknown fields are errors,
 * as kubectl's server-side validation makes them), and the Prometheus Operator's for ServiceMonitor and
 * PrometheusRule. Strimzi's resources, whose schemas are not vendored, are checked for what the operator needs
 * to pick them up. Schemas: src/test/resources/kubernetes-schemas (README there).
 */
class KubernetesSchemasTest {

    private static final String VERSION = "v1.32.2-standalone-strict";
    private static final Map<String, String> SCHEMA_FILES = Map.ofEntries(
            Map.entry("apps/v1/Deployment", "deployment-apps-v1"),
            Map.entry("v1/Service", "service-v1"),
            Map.entry("v1/ConfigMap", "configmap-v1"),
            Map.entry("v1/Secret", "secret-v1"),
            Map.entry("v1/Pod", "pod-v1"),
            Map.entry("v1/ServiceAccount", "serviceaccount-v1"),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", "networkpolicy-networking-v1"),
            Map.entry("networking.k8s.io/v1/Ingress", "ingress-networking-v1"),
            Map.entry("policy/v1/PodDisruptionBudget", "poddisruptionbudget-policy-v1"),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", "horizontalpodautoscaler-autoscaling-v2"),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", "servicemonitor-monitoring-v1"),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", "prometheusrule-monitoring-v1"));
    private static final Set<String> STRIMZI_KINDS = Set.of("KafkaTopic", "KafkaUser", "KafkaConnector");
    private static final Map<String, JsonSchema> SCHEMAS = new HashMap<>();
    /** Draft 4, knowing Kubernetes' x- keywords (hints for patching and clients, nothing to validate). */
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory
            .builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4))
            .metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV4())
                    .keywords(Stream.of("x-kubernetes-list-type", "x-kubernetes-patch-strategy", "x-kubernetes-map-type",
                                    "x-kubernetes-list-map-keys", "x-kubernetes-patch-merge-key", "x-kubernetes-unions",
                                    "x-kubernetes-group-version-kind", "x-kubernetes-int-or-string",
                                    "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
                                    "x-kubernetes-validations")
                            .<com.networknt.schema.Keyword>map(NonValidationKeyword::new).toList())
                    .build())
            .build();

    /** Every optional part of the chart on, on top of a ci/ values file. */
    static final UnaryOperator<com.marcnuri.helm.TemplateCommand> EVERYTHING = command -> command
            .set("prometheusRule.enabled", "true").set("grafanaDashboard.enabled", "true")
            .set("serviceMonitor.enabled", "true").set("serviceMonitor.labels.release", "kube-prometheus-stack")
            .set("serviceAccount.create", "true").set("ingress.enabled", "true").set("ingress.trustedProxies[0]", "10.0.0.0/8")
            .set("networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name", "monitoring")
            .set("nodeSelector.pool", "apps").set("tolerations[0].key", "dedicated")
            .set("tolerations[0].operator", "Equal").set("tolerations[0].value", "scim")
            .set("tolerations[0].effect", "NoSchedule")
            .set("extraEnv[0].name", "TZ").set("extraEnv[0].value", "UTC")
            .set("services.gateway.autoscaling.enabled", "true");

    private static JsonSchema schema(String file) {
        return SCHEMAS.computeIfAbsent(file, name -> {
            String resource = "/kubernetes-schemas/" + VERSION + "/" + name + ".json.gz";
            try (InputStream in = KubernetesSchemasTest.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing schema resource " + resource);
                }
                JsonNode schema = RenderedChart.YAML.readTree(new GZIPInputStream(in));
                // openapi2jsonschema writes draft-04 schemas without saying so.
                ((com.fasterxml.jackson.databind.node.ObjectNode) schema).put("$schema",
                        "http://json-schema.org/draft-04/schema#");
                return FACTORY.getSchema(schema);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** What is wrong with each rendered object, by object; empty when all are valid. */
    static List<String> violations(RenderedChart chart) {
        List<String> problems = new ArrayList<>();
        for (JsonNode object : chart.objects()) {
            String kind = object.path("kind").asText();
            String id = kind + " " + object.path("metadata").path("name").asText();
            if (STRIMZI_KINDS.contains(kind)) {
                problems.addAll(strimziViolations(object, id));
                continue;
            }
            String file = SCHEMA_FILES.get(object.path("apiVersion").asText() + "/" + kind);
            if (file == null) {
                problems.add(id + ": " + object.path("apiVersion").asText() + " has no vendored schema; add one");
                continue;
            }
            for (ValidationMessage message : schema(file).validate(object)) {
                problems.add(id + ": " + message.getMessage());
            }
        }
        return problems;
    }

    private static List<String> strimziViolations(JsonNode object, String id) {
        List<String> problems = new ArrayList<>();
        if (!"kafka.strimzi.io/v1beta2".equals(object.path("apiVersion").asText())) {
            problems.add(id + ": apiVersion " + object.path("apiVersion").asText() + ", not kafka.strimzi.io/v1beta2");
        }
        if (!object.path("metadata").path("labels").hasNonNull("strimzi.io/cluster")) {
            problems.add(id + ": no strimzi.io/cluster label, so no operator picks it up");
        }
        if (!object.path("metadata").path("name").asText().matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            problems.add(id + ": not a DNS subdomain name");
        }
        if (!object.path("spec").isObject()) {
            problems.add(id + ": no spec");
        }
        return problems;
    }

    @Test
    void everyValuesFileRendersObjectsTheApiServerAccepts() throws Exception {
        List<Path> files = new ArrayList<>(RenderedChart.ciValuesFiles().values());
        files.add(0, null);
        for (Path file : files) {
            List<Path> values = file == null ? List.of() : List.of(file);
            for (UnaryOperator<com.marcnuri.helm.TemplateCommand> sets : List.of(UnaryOperator.<com.marcnuri.helm.TemplateCommand>identity(), EVERYTHING)) {
                RenderedChart chart = RenderedChart.render(values, sets);
                assertFalse(chart.objects().isEmpty());
                List<String> problems = violations(chart);
                assertTrue(problems.isEmpty(), (file == null ? "values.yaml" : file.getFileName()) + ": " + problems);
            }
        }
    }

    @Test
    void theStrictSchemasRefuseWhatAnApiServerWould() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(), command -> command);
        JsonNode deployment = chart.named("Deployment", "scim-scim-gateway").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) RenderedChart.container(deployment)).put("imagePullPolicie",
                "Always");
        ((com.fasterxml.jackson.databind.node.ObjectNode) deployment.path("spec")).put("replicas", "two");
        RenderedChart broken = new RenderedChart(List.of(deployment), chart.values());
        List<String> problems = violations(broken);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("imagePullPolicie")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("replicas")), problems.toString());
    }

    /**
     * The helm test Pods are hooks, which helm-java's template leaves out: they are rendered here from a copy of the
     * chart without the hook annotation, then validated and checked to ask Services the chart has.
     */
    @Test
    void theHelmTestPodsAreValidAndAskTheReleasesServices() throws Exception {
        Path copy = Files.createTempDirectory("chart-tests").resolve("scim-provisioning");
        try (Stream<Path> files = Files.walk(RenderedChart.CHART)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(RenderedChart.CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Path tests = copy.resolve("templates/tests.yaml");
        String template = Files.readString(tests);
        assertTrue(template.contains("helm.sh/hook: test"));
        Files.writeString(tests, template.replace("helm.sh/hook: test", "scim.test/was-hook: test"));
        try {
            RenderedChart chart = RenderedChart.render(copy, List.of(), command -> command);
            List<JsonNode> pods = chart.kind("Pod");
            assertEquals(5, pods.size(), "readiness of four services and SCIM discovery");
            assertEquals(List.of(), violations(new RenderedChart(pods, chart.values())));
            Set<String> services = new java.util.HashSet<>();
            chart.kind("Service").forEach(s -> services.add(s.path("metadata").path("name").asText()));
            for (JsonNode pod : pods) {
                String script = pod.path("spec").path("containers").get(0).toString();
                java.util.regex.Matcher url = java.util.regex.Pattern.compile("http://([a-z0-9-]+):8080(/[A-Za-z0-9/]+)")
                        .matcher(script);
                assertTrue(url.find(), script);
                assertTrue(services.contains(url.group(1)), url.group(1) + " is not a Service of the release");
                assertTrue(List.of("/q/health/ready", "/scim/v2/ServiceProviderConfig").contains(url.group(2)), script);
                assertEquals("helm-test", pod.path("metadata").path("labels").path("app.kubernetes.io/component").asText());
            }
        } finally {
            try (Stream<Path> files = Files.walk(copy.getParent())) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
