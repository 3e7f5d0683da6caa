package dev.scimsync.e2e;

import static dev.scimsync.e2e.ScimClient.CORE_USER;
import static dev.scimsync.e2e.ScimClient.scim;
import static dev.scimsync.e2e.ScimClient.uniquePrefix;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every metric the Grafana dashboard in deploy/grafana queries is one the running services expose. */
class DashboardMetricsIT {

    private static final Pattern METRIC = Pattern.compile("\\b([a-z_][a-z0-9_]*)(?=\\{|\\[|\\))");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "rate", "histogram_quantile");

    @Test
    void theDashboardQueriesOnlyMetricsThatExist() throws Exception {
        scim().body("{\"schemas\":[\"%s\"],\"userName\":\"%s\"}".formatted(CORE_USER,
                uniquePrefix("metrics") + "m@example.com")).post("/Users").then().statusCode(201);
        Path root = Path.of(System.getProperty("stack.project-root", "..")).toAbsolutePath().normalize();
        JsonNode dashboard = new ObjectMapper().readTree(root.resolve("deploy/grafana/scim-provisioning.json").toFile());

        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                // Label lists ("by (client_id)") name labels, not metrics.
                String expression = target.path("expr").asText().replaceAll("by \\([^)]*\\)", "");
                Matcher matcher = METRIC.matcher(expression);
                while (matcher.find()) {
                    if (!PROMQL_WORDS.contains(matcher.group(1))) {
                        queried.add(matcher.group(1));
                    }
                }
            }
        }
        assertTrue(queried.size() >= 6, "metrics found in the dashboard: " + queried);

        StringBuilder exposed = new StringBuilder();
        for (URI service : SharedStack.serviceUris()) {
            exposed.append(given().baseUri(service.toString()).get("/q/metrics").then().statusCode(200).extract().asString());
        }
        for (String metric : queried) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(metric) + "[{ ]").matcher(exposed).find(),
                    "the dashboard queries '" + metric + "', which no service exposes");
        }
    }
}
