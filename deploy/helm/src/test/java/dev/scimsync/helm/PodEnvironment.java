package dev.scimsync.helm;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kubelet would give a Deployment's container as its environment: {@code envFrom} ConfigMaps and
 * Secrets first, then {@code env} entries (plain values with {@code $(VAR)} expanded, ConfigMap and Secret keys),
 * later ones winning. ConfigMaps and Secrets are those the chart renders plus the ones the cluster already has
 * ({@code clusterSecrets}: name to key to value, as a platform team created them). A reference to an object or
 * key that exists in neither is an error naming the Deployment, the variable and what is missing, as the
 * kubelet's CreateContainerConfigError would be.
 */
final class PodEnvironment {

    private static final Pattern DEPENDENT = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    private final RenderedChart chart;
    private final Map<String, Map<String, String>> clusterSecrets;

    PodEnvironment(RenderedChart chart, Map<String, Map<String, String>> clusterSecrets) {
        this.chart = chart;
        this.clusterSecrets = clusterSecrets;
    }

    Map<String, String> resolve(JsonNode deployment) {
        String where = "Deployment " + deployment.path("metadata").path("name").asText();
        JsonNode container = RenderedChart.container(deployment);
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String prefix = source.path("prefix").asText("");
            if (source.has("configMapRef")) {
                configMap(source.path("configMapRef").path("name").asText(), where, source.path("configMapRef"))
                        .forEach((key, value) -> env.put(prefix + key, value));
            } else if (source.has("secretRef")) {
                secret(source.path("secretRef").path("name").asText(), where, source.path("secretRef"))
                        .forEach((key, value) -> env.put(prefix + key, value));
            } else {
                throw new AssertionError(where + ": envFrom entry of an unknown kind: " + source);
            }
        }
        for (JsonNode entry : container.path("env")) {
            String name = entry.path("name").asText();
            String variable = where + " env " + name;
            if (entry.has("value")) {
                env.put(name, expand(entry.path("value").asText(), env));
            } else if (entry.path("valueFrom").has("secretKeyRef")) {
                key(entry.path("valueFrom").path("secretKeyRef"), variable, true).ifPresent(v -> env.put(name, v));
            } else if (entry.path("valueFrom").has("configMapKeyRef")) {
                key(entry.path("valueFrom").path("configMapKeyRef"), variable, false).ifPresent(v -> env.put(name, v));
            } else if (entry.has("valueFrom")) {
                throw new AssertionError(variable + ": a valueFrom this test cannot resolve: " + entry.path("valueFrom"));
            } else {
                env.put(name, "");
            }
        }
        return env;
    }

    private Optional<String> key(JsonNode reference, String variable, boolean secret) {
        String name = reference.path("name").asText();
        String key = reference.path("key").asText();
        boolean optional = reference.path("optional").asBoolean(false);
        Map<String, String> data = secret ? secret(name, variable, reference) : configMap(name, variable, reference);
        if (data.isEmpty() && optional) {
            return Optional.empty();
        }
        String value = data.get(key);
        if (value == null && !optional) {
            throw new AssertionError(variable + ": " + (secret ? "Secret " : "ConfigMap ") + name + " has no key " + key
                    + " (it has " + data.keySet() + ")");
        }
        return Optional.ofNullable(value);
    }

    private Map<String, String> configMap(String name, String where, JsonNode reference) {
        Optional<JsonNode> rendered = chart.find("ConfigMap", name);
        if (rendered.isEmpty()) {
            if (reference.path("optional").asBoolean(false)) {
                return Map.of();
            }
            throw new AssertionError(where + ": refers to ConfigMap " + name + ", which the chart does not render");
        }
        Map<String, String> data = new LinkedHashMap<>();
        rendered.get().path("data").fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue().asText()));
        return data;
    }

    /** A Secret the chart renders (data is base64, stringData plain) or one the cluster has. */
    Map<String, String> secret(String name, String where, JsonNode reference) {
        Optional<JsonNode> rendered = chart.find("Secret", name);
        if (rendered.isPresent()) {
            Map<String, String> data = new LinkedHashMap<>();
            rendered.get().path("data").fields().forEachRemaining(f -> data.put(f.getKey(),
                    new String(Base64.getDecoder().decode(f.getValue().asText()), StandardCharsets.UTF_8)));
            rendered.get().path("stringData").fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue().asText()));
            return data;
        }
        Map<String, String> existing = clusterSecrets.get(name);
        if (existing == null) {
            if (reference.path("optional").asBoolean(false)) {
                return Map.of();
            }
            throw new AssertionError(where + ": refers to Secret " + name
                    + ", which neither the chart renders nor the cluster has (it has " + clusterSecrets.keySet() + ")");
        }
        return existing;
    }

    /** A Secret's data as a volume would mount it: the chart's own or the cluster's; null if neither has it. */
    Map<String, String> secretData(String name) {
        if (chart.find("Secret", name).isEmpty() && !clusterSecrets.containsKey(name)) {
            return null;
        }
        return secret(name, "volume", RenderedChart.YAML.createObjectNode());
    }

    /** {@code $(VAR)} of an earlier variable is replaced by its value; an unknown one stays as written. */
    private static String expand(String value, Map<String, String> earlier) {
        Matcher matcher = DEPENDENT.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String known = earlier.get(matcher.group(1));
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(known == null ? matcher.group() : known));
        }
        return matcher.appendTail(expanded).toString();
    }
}
