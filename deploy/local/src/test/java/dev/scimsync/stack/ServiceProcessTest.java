package dev.scimsync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void auditServiceKeepsHeadroomAboveWhatIsLiveAndTheOthersStayClose() {
        List<String> audit = ServiceProcess.jvmOptions("audit-service", null);
        List<String> gateway = ServiceProcess.jvmOptions("scim-gateway", null);

        // HotSpot takes the last of two settings of a flag: audit-service's own come after the defaults.
        assertEquals("-XX:MinHeapFreeRatio=40", last(audit, "-XX:MinHeapFreeRatio="));
        assertEquals("-XX:MaxHeapFreeRatio=70", last(audit, "-XX:MaxHeapFreeRatio="));
        assertEquals("-XX:MinHeapFreeRatio=10", last(gateway, "-XX:MinHeapFreeRatio="));
        assertEquals("-XX:MaxHeapFreeRatio=20", last(gateway, "-XX:MaxHeapFreeRatio="));
        assertEquals(gateway, audit.subList(0, gateway.size()));
    }

    @Test
    void theCodeCacheIsNotCappedBelowTheJvmsDefault() {
        // A capped code cache is collected whenever the JIT's code grows by 15 % of it, and the serial collector
        // unloads code only in a full collection: a stop of the whole service every few minutes.
        for (String service : List.of("scim-gateway", "membership-service", "group-sync-service", "audit-service")) {
            assertTrue(ServiceProcess.jvmOptions(service, null).stream()
                    .noneMatch(option -> option.startsWith("-XX:ReservedCodeCacheSize=")), service);
        }
    }

    @Test
    void configuredOptionsReplaceEveryDefaultAndNameTheService() {
        assertEquals(List.of("-Xmx1g", "-XX:AOTCache=.stack/audit-service.aot"),
                ServiceProcess.jvmOptions("audit-service", " -Xmx1g  -XX:AOTCache=.stack/{service}.aot "));
    }

    private static String last(List<String> options, String prefix) {
        return options.stream().filter(o -> o.startsWith(prefix)).reduce((first, second) -> second).orElseThrow();
    }
}
