package dev.scimsync.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The chart rendered by real Helm (helm-java: no cluster, no helm binary) as release {@value #RELEASE} in
 * namespace {@value #NAMESPACE}, and the values it was rendered with.
 */
record RenderedChart(List<JsonNode> objects, JsonNode values) {

    static final Path CHART = Path.of("scim-provisioning").toAbsolutePath();
    static final String RELEASE = "scim";
    static final String NAMESPACE = "identity";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Renders with the chart's defaults plus {@code valuesFiles} (in order) and the {@code --set}s of {@code sets}. */
    static RenderedChart render(List<Path> valuesFiles, UnaryOperator<TemplateCommand> sets) throws Exception {
        return render(CHART, valuesFiles, sets);
    }

    static RenderedChart render(Path chart, List<Path> valuesFiles, UnaryOperator<TemplateCommand> sets)
            throws Exception {
        TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        String manifest = sets.apply(command).call();
        List<JsonNode> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(manifest)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    objects.add(node);
                }
            });
        }
        JsonNode values = YAML.readTree(chart.resolve("values.yaml").toFile());
        for (Path file : valuesFiles) {
            values = merge(values.deepCopy(), YAML.readTree(file.toFile()));
        }
        return new RenderedChart(objects, values);
    }

    /** The values files of the chart's ci/ folder, by file name. */
    static Map<String, Path> ciValuesFiles() {
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            return files.filter(f -> f.toString().endsWith(".yaml"))
                    .collect(java.util.stream.Collectors.toMap(f -> f.getFileName().toString(), f -> f,
                            (a, b) -> a, java.util.TreeMap::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Helm's merge of values: maps merge key by key, anything else is replaced. */
    private static JsonNode merge(JsonNode base, JsonNode override) {
        if (!(base instanceof ObjectNode target) || override == null || !override.isObject()) {
            return override == null || override.isNull() ? base : override;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = override.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            target.set(field.getKey(), existing == null ? field.getValue() : merge(existing, field.getValue()));
        }
        return target;
    }

    List<JsonNode> kind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    JsonNode named(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("the chart renders no " + kind + " " + name));
    }

    java.util.Optional<JsonNode> find(String kind, String name) {
        return kind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    static JsonNode container(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").get(0);
    }

    /** One entry of a Deployment's first container's env list, or null. */
    static JsonNode env(JsonNode deployment, String name) {
        for (JsonNode entry : container(deployment).path("env")) {
            if (name.equals(entry.path("name").asText())) {
                return entry;
            }
        }
        return null;
    }
}
