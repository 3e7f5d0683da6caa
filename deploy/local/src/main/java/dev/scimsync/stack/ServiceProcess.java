package dev.scimsync.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One of the four Quarkus services, run from its packaged {@code quarkus-app} as its own JVM. */
public final class ServiceProcess implements AutoCloseable {

    /**
     * The services' default JVM options; STACK_SERVICE_JVM_OPTIONS replaces them. The heap starts small and is kept
     * close to what is live (free ratios) instead of touching all of -Xmx: docs/performance.md measured 70-85
     * MB less resident memory per service than with -Xmx256m alone, at the same creates per second.
     * {@code {service}} in the options is replaced by the module's name, for files each JVM needs its own of
     * (a JDK 25 AOT cache: {@code -XX:AOTCache=.stack/{service}.aot}, GC logs).
     * The code cache keeps the JVM's default size (240 MB reserved, as in the chart): capped at 64 MB, the JIT's
     * steady growth crossed the cache's collection threshold (15 % of it) every few minutes, and the serial
     * collector unloads code only in a full collection - 84-852 ms pauses in every service (docs/performance.md,
     * "the code cache's full collections").
     */
    private static final String JVM_DEFAULTS =
            "-Xms16m -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20";

    /**
     * What a service adds to the default options (the later of two settings wins). audit-service takes a poll of
     * up to 2,000 records at a time: with the old generation kept within 20 % of what is live, what each poll
     * promotes filled it within a second or so, and the full collections took two thirds of audit-service's CPU
     * (docs/performance.md, "audit-service's full collections"). Not added to STACK_SERVICE_JVM_OPTIONS.
     */
    private static final Map<String, String> OWN_DEFAULT_OPTIONS = Map.of(
            "audit-service", "-XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final Path logFile;
    private final Path projectRoot;
    private final Map<String, String> environment;

    private ServiceProcess(String name, Process process, int port, Path logFile, Path projectRoot,
            Map<String, String> environment) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.projectRoot = projectRoot;
        this.environment = Map.copyOf(environment);
    }

    /** A service's JVM options: {@code configured} (STACK_SERVICE_JVM_OPTIONS) if set, else the defaults and its own. */
    static List<String> jvmOptions(String module, String configured) {
        String options = configured != null ? configured
                : JVM_DEFAULTS + " " + OWN_DEFAULT_OPTIONS.getOrDefault(module, "");
        return List.of(options.replace("{service}", module).trim().split("\\s+"));
    }

    /** The runnable jar Quarkus packages for a module. */
    public static Path runnableJar(Path projectRoot, String module) {
        return projectRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public static ServiceProcess start(Path projectRoot, String module, int port, Map<String, String> environment,
            Path logFile) throws IOException {
        Path jar = runnableJar(projectRoot, module);
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build it with 'mvn package -DskipTests'");
        }
        List<String> command = new java.util.ArrayList<>();
        command.add(JavaProcess.javaExecutable().toString());
        command.addAll(jvmOptions(module, System.getenv("STACK_SERVICE_JVM_OPTIONS")));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // glibc's default of 8 malloc arenas per core keeps memory the JVM's threads freed long ago resident.
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return new ServiceProcess(module, builder.start(), port, logFile, projectRoot, environment);
    }

    /**
     * Starts another instance of this service on another port, with the same settings plus the overrides
     * (for scale-out tests: several instances of every service on one machine), logging to its own file.
     */
    public ServiceProcess replica(int replicaPort, Map<String, String> overrides) throws IOException {
        Map<String, String> replicaEnvironment = new java.util.LinkedHashMap<>(environment);
        replicaEnvironment.putAll(overrides);
        return start(projectRoot, name, replicaPort, replicaEnvironment,
                logFile.resolveSibling(name + "-" + replicaPort + ".log"));
    }

    /** Kills the service at once (SIGKILL), as a crashed node or an evicted pod; it is not started again. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * Kills the service at once (SIGKILL: no shutdown hooks, nothing flushed, as in a crash) and starts it
     * again with the same settings; the new process is returned, not yet ready.
     */
    public ServiceProcess killAndRestart() throws IOException, InterruptedException {
        kill();
        return start(projectRoot, name, port, environment, logFile);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Waits until {@code /q/health/ready} answers 200 (Kafka and PostgreSQL reachable). */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + ", see " + logFile);
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling until the deadline
            }
            Thread.sleep(250);
        }
        throw new IOException(name + " was not ready within " + timeout + ", see " + logFile);
    }

    @Override
    public void close() {
        JavaProcess.stop(process, Duration.ofSeconds(20));
    }
}
