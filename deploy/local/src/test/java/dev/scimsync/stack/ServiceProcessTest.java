package dev.scimsync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void configuredOptionsReplaceEveryDefaultAndNameTheService() {
        assertEquals(List.of("-Xmx1g", "-XX:AOTCache=.stack/audit-service.aot"),
                ServiceProcess.jvmOptions("audit-service", " -Xmx1g  -XX:AOTCache=.stack/{service}.aot "));
    }

    private static String last(List<String> options, String prefix) {
        return options.stream().filter(o -> o.startsWith(prefix)).reduce((first, second) -> second).orElseThrow();
    }
}
