package dev.scimsync.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The services run in production mode (the chart, the local stack) with no insecure default: a credential is
 * required from the environment, and every values file gives each Deployment what its service requires.
 */
class ProductionConfigTest {

    private static final List<String> SERVICES_WITH_A_DATABASE = List.of("membership-service", "group-sync-service",
            "audit-service");

    @Test
    void noServiceHasADefaultDatabaseRoleOrPasswordInProduction() {
        for (String module : SERVICES_WITH_A_DATABASE) {
            ServiceConfig config = ServiceConfig.of(module);
            assertEquals("${QUARKUS_DATASOURCE_USERNAME}", config.productionValue("quarkus.datasource.username")
                    .orElse(null), module);
            assertEquals("${QUARKUS_DATASOURCE_PASSWORD}", config.productionValue("quarkus.datasource.password")
                    .orElse(null), module);
            assertEquals(Set.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"),
                    Set.copyOf(config.requiredInProduction()), module);
        }
        assertEquals(Set.of(), ServiceConfig.of("scim-gateway").requiredInProduction(), "the gateway has no database");
    }

    @Test
    void everyValuesFileGivesEachServiceEveryVariableItRequiresInProduction() throws Exception {
        Map<String, RenderedChart> charts = new LinkedHashMap<>();
        charts.put("values.yaml", RenderedChart.render(List.of(), c -> c));
        for (Map.Entry<String, Path> file : RenderedChart.ciValuesFiles().entrySet()) {
            charts.put(file.getKey(), RenderedChart.render(List.of(file.getValue()), c -> c));
        }
        for (Map.Entry<String, RenderedChart> chart : charts.entrySet()) {
            PodEnvironment environments = new PodEnvironment(chart.getValue(), ChartTest.clusterSecrets());
            List<String> checked = new ArrayList<>();
            for (JsonNode deployment : chart.getValue().kind("Deployment")) {
                String module = ChartProcesses.moduleOf(RenderedChart.container(deployment).path("image").asText());
                Map<String, String> env = environments.resolve(deployment);
                for (String variable : ServiceConfig.of(module).requiredInProduction()) {
                    assertFalse(env.getOrDefault(variable, "").isBlank(),
                            chart.getKey() + ": " + module + " requires " + variable + " in production");
                    checked.add(module + " " + variable);
                }
            }
            assertTrue(checked.size() >= 2 * SERVICES_WITH_A_DATABASE.size(), chart.getKey() + " checked " + checked);
        }
    }
}
