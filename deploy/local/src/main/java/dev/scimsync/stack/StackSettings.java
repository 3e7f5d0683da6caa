package dev.scimsync.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack keeps its data and which ports it uses. Every value can be overridden with an
 * environment variable; the defaults stay clear of a system PostgreSQL (5432) and Kafka (9092).
 */
public record StackSettings(
        Path projectRoot,
        Path dataDirectory,
        String gatewayHost,
        int gatewayPort,
        int membershipPort,
        int groupSyncPort,
        int auditPort,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        String externalPostgresUrl,
        String externalPostgresUser,
        String externalPostgresPassword) {

    public static StackSettings fromEnvironment(Path projectRoot, Map<String, String> env) {
        return new StackSettings(
                projectRoot,
                Path.of(env.getOrDefault("STACK_DATA_DIR", projectRoot.resolve(".stack").toString())).toAbsolutePath(),
                // Loopback unless asked: an IdP reaches a laptop's stack through a tunnel to localhost, and on a
                // shared machine nothing else should. STACK_GATEWAY_HOST=0.0.0.0 opens the gateway (only).
                env.getOrDefault("STACK_GATEWAY_HOST", LocalStack.LOOPBACK),
                port(env, "STACK_GATEWAY_PORT", 8080),
                port(env, "STACK_MEMBERSHIP_PORT", 8081),
                port(env, "STACK_GROUP_SYNC_PORT", 8082),
                port(env, "STACK_AUDIT_PORT", 8083),
                port(env, "STACK_KAFKA_PORT", 19092),
                port(env, "STACK_KAFKA_CONTROLLER_PORT", 19093),
                port(env, "STACK_POSTGRES_PORT", 15432),
                env.get("STACK_POSTGRES_URL"),
                env.getOrDefault("STACK_POSTGRES_USER", "postgres"),
                env.getOrDefault("STACK_POSTGRES_PASSWORD", "postgres"));
    }

    /**
     * The ports this stack would listen on that something already listens on, each with the variable that moves
     * it. A second stack started beside a running one would otherwise come up against the first one's PostgreSQL,
     * Kafka and services - its readiness checks answered by them - and report itself ready.
     */
    public List<String> portsInUse() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("STACK_GATEWAY_PORT", gatewayPort);
        ports.put("STACK_MEMBERSHIP_PORT", membershipPort);
        ports.put("STACK_GROUP_SYNC_PORT", groupSyncPort);
        ports.put("STACK_AUDIT_PORT", auditPort);
        ports.put("STACK_KAFKA_PORT", kafkaPort);
        ports.put("STACK_KAFKA_CONTROLLER_PORT", kafkaControllerPort);
        if (externalPostgresUrl == null || externalPostgresUrl.isBlank()) {
            ports.put("STACK_POSTGRES_PORT", postgresPort);
        }
        List<String> inUse = new ArrayList<>();
        ports.forEach((name, port) -> {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException taken) {
                inUse.add(port + " (" + name + ")");
            }
        });
        return inUse;
    }

    private static int port(Map<String, String> env, String name, int defaultPort) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (1-65535), got '" + value + "'");
        }
    }
}
