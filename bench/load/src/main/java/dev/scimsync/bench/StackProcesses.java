package dev.scimsync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processes of the stack the benchmark drives - not another engineer's stack on the same machine: the
 * scim-gateway listening on the port of SCIM_BASE_URL (its {@code QUARKUS_HTTP_PORT}), the launcher that
 * started it (its parent) and the launcher's other children (the services, Kafka). Their environments say
 * the rest: the services' ports, Kafka's address, the database URL and the rate limit. When no such
 * gateway is found (another user's processes, another layout), processes are matched by command line only.
 */
final class StackProcesses {

    static final Map<String, String> MARKERS = new LinkedHashMap<>();

    static {
        MARKERS.put("scim-gateway", "scim-gateway/target/quarkus-app");
        MARKERS.put("membership-service", "membership-service/target/quarkus-app");
        MARKERS.put("group-sync-service", "group-sync-service/target/quarkus-app");
        MARKERS.put("audit-service", "audit-service/target/quarkus-app");
        MARKERS.put("kafka", "kafka.Kafka");
    }

    /** Name to pids (replicas make several), in the order of {@link #MARKERS}. */
    final Map<String, List<Long>> pids = new LinkedHashMap<>();
    /** Each found service's environment (the first instance's); empty unless {@link #exact}. */
    final Map<String, Map<String, String>> environments = new HashMap<>();
    /** True when the gateway of SCIM_BASE_URL was found and only its launcher's children are counted. */
    final boolean exact;

    private StackProcesses(boolean exact) {
        this.exact = exact;
    }

    static StackProcesses find(int gatewayPort) {
        Optional<ProcessHandle> gateway = ProcessHandle.allProcesses()
                .filter(p -> commandLine(p).contains(MARKERS.get("scim-gateway")))
                .filter(p -> Integer.toString(gatewayPort).equals(environment(p.pid()).get("QUARKUS_HTTP_PORT")))
                .findFirst();
        Optional<ProcessHandle> launcher = gateway.flatMap(ProcessHandle::parent);
        StackProcesses found = new StackProcesses(launcher.isPresent());
        List<ProcessHandle> candidates = launcher.isPresent() ? launcher.get().children().toList()
                : ProcessHandle.allProcesses().toList();
        for (String name : MARKERS.keySet()) {
            for (ProcessHandle process : candidates) {
                if (commandLine(process).contains(MARKERS.get(name))) {
                    found.pids.computeIfAbsent(name, n -> new ArrayList<>()).add(process.pid());
                    if (found.exact) {  // another stack's settings would be wrong for this one
                        found.environments.putIfAbsent(name, environment(process.pid()));
                    }
                }
            }
        }
        return found;
    }

    /** A variable of a found service's environment, if it was set. */
    Optional<String> variable(String service, String name) {
        return Optional.ofNullable(environments.getOrDefault(service, Map.of()).get(name));
    }

    /** The port a service listens on: its QUARKUS_HTTP_PORT, else the stack's default. */
    int port(String service, int fallback) {
        return variable(service, "QUARKUS_HTTP_PORT").map(Integer::parseInt).orElse(fallback);
    }

    /**
     * A process's whole command line from /proc/pid/cmdline, its arguments separated by spaces; empty when unreadable.
     * Not {@code ProcessHandle.Info.commandLine()}: on Linux the JDK cuts that at 4,096 bytes, and Kafka's class
     * path is longer than that from a checkout with a longer path (a worktree), so {@code kafka.Kafka} after it was
     * not found and the benchmark's table had no Kafka row.
     */
    static String commandLine(ProcessHandle process) {
        try {
            return parseCmdline(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** NUL-separated arguments, joined by spaces. */
    static String parseCmdline(byte[] cmdline) {
        return new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    }

    /** A process's environment from /proc/pid/environ (empty when unreadable). */
    static Map<String, String> environment(long pid) {
        try {
            return parseEnviron(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** NUL-separated {@code NAME=value} entries. */
    static Map<String, String> parseEnviron(byte[] environ) {
        Map<String, String> variables = new HashMap<>();
        for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                variables.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return variables;
    }
}
