package dev.scimsync.e2e;

import dev.scimsync.stack.LocalStack;
import dev.scimsync.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One local stack for all end-to-end tests of this JVM: started by the same code as
 * {@code deploy/local/stack}, on free ports and a throw-away data directory, and stopped (with its data
 * deleted) when the JVM exits.
 */
final class SharedStack {

    private static LocalStack stack;
    private static volatile LocalStack.Endpoints endpoints;
    private static String kafkaBootstrapServers;
    private static final Map<String, Integer> PORTS = new java.util.TreeMap<>();

    private SharedStack() {
    }

    /** The base URI of each of the four services, for what only they serve (such as /q/metrics). */
    static synchronized java.util.List<java.net.URI> serviceUris() {
        endpoints();
        return stack.services().stream().map(s -> java.net.URI.create("http://localhost:" + s.port())).toList();
    }

    /** The base URI of each of the four services by its module name (scim-gateway, membership-service, ...). */
    static synchronized Map<String, java.net.URI> serviceUrisByName() {
        endpoints();
        Map<String, java.net.URI> uris = new java.util.TreeMap<>();
        stack.services().forEach(s -> uris.put(s.name(), java.net.URI.create("http://localhost:" + s.port())));
        return uris;
    }

    /** The stack's Kafka broker, for tests that consume events as another service would. */
    static synchronized String kafkaBootstrapServers() {
        endpoints();
        return kafkaBootstrapServers;
    }

    /** Every port the stack listens on (services, Kafka, PostgreSQL), by the setting that chose it. */
    static synchronized Map<String, Integer> listeningPorts() {
        endpoints();
        return Map.copyOf(PORTS);
    }

    /**
     * The errors the services have logged so far (the last few of each, newest last), for the message of a failed
     * assertion: a 500 answers only "internal error; it has been logged", and the stack's logs are deleted with it
     * when the JVM exits.
     */
    static synchronized String loggedErrors() {
        endpoints();
        StringBuilder errors = new StringBuilder();
        for (dev.scimsync.stack.ServiceProcess service : stack.services()) {
            try (Stream<String> lines = Files.lines(service.logFile())) {
                java.util.List<String> logged = lines.filter(line -> line.contains("\"level\":\"ERROR\"")
                        || line.contains(" ERROR ")).toList();
                logged.subList(Math.max(0, logged.size() - 3), logged.size()).forEach(line -> errors.append('\n')
                        .append(service.name()).append(": ")
                        .append(line, 0, Math.min(line.length(), 4_000)));
            } catch (IOException | UncheckedIOException unreadable) {
                errors.append('\n').append(service.name()).append(": log unreadable: ").append(unreadable);
            }
        }
        return errors.isEmpty() ? "\nno service logged an error" : errors.toString();
    }

    /** Kills a service (SIGKILL) and starts it again, for fault tests. */
    static synchronized void crashAndRestart(String module) throws Exception {
        endpoints();
        stack.crashAndRestart(module);
    }

    /** Kills the Kafka broker (SIGKILL) and starts it again, for fault tests. */
    static synchronized void crashAndRestartKafka() throws Exception {
        endpoints();
        stack.crashAndRestartKafka();
    }

    /**
     * Kills the Kafka broker (SIGKILL) and starts it again {@code down} later, for fault tests. The stack's
     * lock is held meanwhile; the clients of a test do not take it (see {@link #endpoints()}).
     */
    static synchronized void crashKafkaFor(java.time.Duration down) throws Exception {
        endpoints();
        stack.crashKafkaFor(down);
    }

    /** The PostgreSQL server of the services' databases, for tests that take one of them away. */
    static synchronized dev.scimsync.stack.DatabaseServer database() {
        endpoints();
        return stack.database();
    }

    /** Crashes PostgreSQL under the running services and starts it again, for fault tests. */
    static synchronized void crashAndRestartPostgres() throws Exception {
        endpoints();
        stack.crashAndRestartPostgres();
    }

    /** The port of the stack's own instance of a service. */
    static synchronized int port(String module) {
        endpoints();
        return stack.service(module).port();
    }

    /** Starts another instance of a service (its settings plus the overrides) on a free port, for scale-out tests. */
    static synchronized dev.scimsync.stack.ServiceProcess startReplica(String module, Map<String, String> overrides)
            throws Exception {
        endpoints();
        return stack.startReplica(module, freePort(), overrides);
    }

    /** Kills the stack's own instance of a service for good (SIGKILL), for scale-out tests. */
    static synchronized void crashFirstInstance(String module) throws InterruptedException {
        endpoints();
        stack.crash(stack.service(module));
    }

    /**
     * The stack's endpoints, which no fault changes: once it runs they are read without the lock the faults
     * hold, so a client that asks during a restart is not held for the restart's length.
     */
    static LocalStack.Endpoints endpoints() {
        LocalStack.Endpoints known = endpoints;
        return known != null ? known : started();
    }

    private static synchronized LocalStack.Endpoints started() {
        if (stack == null) {
            start();
            endpoints = stack.endpoints();
        }
        return endpoints;
    }

    /**
     * The end-to-end tests de-provision many users of the bootstrap connection within minutes; the guard would
     * hold them. It has tests of its own (membership-service's MassDeprovisioningGuardTest) on connections of
     * their own; here it is switched off through the admin API, as an admin would.
     */
    private static void withoutMassDeprovisioningGuard(LocalStack.Endpoints endpoints, String connection)
            throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoints.adminBaseUrl()
                        + "/connections/" + connection + "/guard"))
                .header("Authorization", "Bearer " + endpoints.adminToken())
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"enabled\": false}")).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("could not switch the guard off: " + response.statusCode() + " "
                    + response.body());
        }
    }

    private static void start() {
        try {
            Path data = Files.createTempDirectory("scim-e2e");
            Map<String, String> env = new HashMap<>();
            env.put("STACK_DATA_DIR", data.toString());
            for (String port : new String[] {"STACK_GATEWAY_PORT", "STACK_MEMBERSHIP_PORT", "STACK_GROUP_SYNC_PORT",
                    "STACK_AUDIT_PORT", "STACK_KAFKA_PORT", "STACK_KAFKA_CONTROLLER_PORT", "STACK_POSTGRES_PORT"}) {
                env.put(port, Integer.toString(freePort()));
                PORTS.put(port, Integer.valueOf(env.get(port)));
            }
            kafkaBootstrapServers = "localhost:" + env.get("STACK_KAFKA_PORT");
            Path root = Path.of(System.getProperty("stack.project-root", "..")).toAbsolutePath().normalize();
            stack = LocalStack.start(StackSettings.fromEnvironment(root, env), line -> System.out.println("[e2e] " + line));
            withoutMassDeprovisioningGuard(stack.endpoints(), LocalStack.BOOTSTRAP_CONNECTION);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.close();
                delete(data);
            }, "e2e-stack-stop"));
        } catch (Exception e) {
            throw new IllegalStateException("the local stack did not start", e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
