package dev.scimsync.helm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The chart's Deployments run as local processes, one per Deployment, the way their pods would run them: the
 * container's command and arguments (or, without them, what the image's entry point runs: {@code java <the
 * image's own options> $JAVA_OPTS_APPEND -jar quarkus-run.jar}, with the module's packaged {@code target/quarkus-app}
 * standing in for the image), and exactly the environment the chart gives the container - nothing of this JVM's environment
 * leaks in. What is changed, and only that: addresses. The Services' and the values' host names become
 * 127.0.0.1 with the local ports ({@code addresses}), each process listens on its own local port instead of the
 * pod's 8080, and paths where Secrets are mounted become local directories holding the same files.
 */
final class ChartProcesses implements AutoCloseable {

    /** One Deployment running locally. */
    record Instance(String deployment, String module, int port, Process process, Path log, Map<String, String> env,
            String readinessPath) {

        String baseUrl() {
            return "http://127.0.0.1:" + port;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * What the image's entry point ({@code run-java.sh} of the ubi openjdk runtime images Quarkus' Jib builds on) puts
     * before {@code JAVA_OPTS_APPEND}: the Parallel collector among them, which a pod runs but this machine's own
     * ergonomics (two cores, 24 GB) would not choose. Its heap percentage comes first, so the chart's replaces it.
     */
    private static final List<String> IMAGE_JAVA_OPTIONS = List.of("-XX:MaxRAMPercentage=80.0", "-XX:+UseParallelGC",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4", "-XX:AdaptiveSizePolicyWeight=90",
            "-XX:+ExitOnOutOfMemoryError");
    /** The JVM's share of a container without a memory limit (the ubi image sizes the heap from the limit). */
    private static final long DEFAULT_MEMORY_LIMIT = 512L * 1024 * 1024;

    private final List<Instance> instances = new ArrayList<>();
    private final Path projectRoot;
    private final Path workDirectory;

    /** Kills what is still running if the test JVM ends without closing this (a timeout, Ctrl-C). */
    private final Thread killOnExit = new Thread(() -> instances.forEach(i -> i.process().destroyForcibly()),
            "chart-processes-kill");

    ChartProcesses(Path projectRoot, Path workDirectory) {
        this.projectRoot = projectRoot;
        this.workDirectory = workDirectory;
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    List<Instance> instances() {
        return List.copyOf(instances);
    }

    Instance byModule(String module) {
        return instances.stream().filter(i -> i.module().equals(module)).findFirst()
                .orElseThrow(() -> new AssertionError("the chart runs no " + module));
    }

    /**
     * Starts one Deployment's container. {@code env} is its resolved environment; {@code addresses} maps
     * "host:port" as the cluster knows it to "127.0.0.1:port" here; {@code secrets} answers a Secret's keys by
     * its name (null if there is no such Secret), for Secret volumes.
     */
    Instance start(JsonNode deployment, Map<String, String> env, int port, Map<String, String> addresses,
            Function<String, Map<String, String>> secrets) throws IOException {
        String name = deployment.path("metadata").path("name").asText();
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = RenderedChart.container(deployment);
        String module = moduleOf(container.path("image").asText());
        Path jar = projectRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: package " + module + " first (mvn package -pl " + module + ")");
        }
        int containerPort = httpPort(container);
        if (!Integer.toString(containerPort).equals(env.get("QUARKUS_HTTP_PORT"))) {
            throw new AssertionError(name + ": QUARKUS_HTTP_PORT is " + env.get("QUARKUS_HTTP_PORT")
                    + " but the container port 'http' is " + containerPort);
        }

        Map<String, String> mounts = mountSecrets(name, pod, container, secrets);
        Map<String, String> local = new LinkedHashMap<>();
        env.forEach((key, value) -> local.put(key, rewrite(rewrite(value, addresses), mounts)));
        // The pod's own address and port: loopback and a port of its own, as four pods cannot share 8080 here.
        local.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        local.put("QUARKUS_HTTP_HOST", "127.0.0.1");

        List<String> command = new ArrayList<>();
        if (container.has("command") || container.has("args")) {
            container.path("command").forEach(c -> command.add(rewrite(c.asText(), mounts)));
            container.path("args").forEach(a -> command.add(rewrite(a.asText(), mounts)));
            if (!container.has("command")) {
                throw new AssertionError(name + ": args without a command would go to the image's entry point,"
                        + " which this test does not emulate with arguments");
            }
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // The container's memory limit, which the image's JVM sizes its heap from (MaxRAMPercentage).
            command.add("-XX:MaxRAM=" + memoryLimit(container));
            command.addAll(IMAGE_JAVA_OPTIONS);
            String options = local.getOrDefault("JAVA_OPTS_APPEND", "").trim();
            if (!options.isEmpty()) {
                command.addAll(List.of(options.split("\\s+")));
            }
            command.add("-jar");
            command.add(jar.toString());
        }
        Path log = workDirectory.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(local);
        String readiness = container.path("readinessProbe").path("httpGet").path("path").asText("/q/health/ready");
        Instance instance = new Instance(name, module, port, builder.start(), log, Map.copyOf(local), readiness);
        instances.add(instance);
        return instance;
    }

    /** Waits for every instance's readiness probe path to answer 200. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        for (Instance instance : instances) {
            HttpRequest ready = HttpRequest.newBuilder(URI.create(instance.baseUrl() + instance.readinessPath()))
                    .timeout(Duration.ofSeconds(2)).build();
            String last = "no answer";
            while (true) {
                if (!instance.process().isAlive()) {
                    throw new AssertionError(instance.deployment() + " exited with " + instance.process().exitValue()
                            + ":\n" + tail(instance.log()));
                }
                try {
                    HttpResponse<String> answer = HTTP.send(ready, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        break;
                    }
                    last = answer.statusCode() + " " + answer.body();
                } catch (IOException notListeningYet) {
                    // keep asking until the deadline
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError(instance.deployment() + " was not ready within " + timeout + " (" + last
                            + "):\n" + tail(instance.log()));
                }
                Thread.sleep(500);
            }
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The image's repository name is the module that builds it: ghcr.io/scimsync/membership-service:0.1.0. */
    static String moduleOf(String image) {
        String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        repository = repository.substring(repository.lastIndexOf('/') + 1);
        return repository.contains(":") ? repository.substring(0, repository.indexOf(':')) : repository;
    }

    private static int httpPort(JsonNode container) {
        for (JsonNode port : container.path("ports")) {
            if ("http".equals(port.path("name").asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("container " + container.path("name").asText() + " has no port named http");
    }

    private static long memoryLimit(JsonNode container) {
        String limit = container.path("resources").path("limits").path("memory").asText("");
        if (limit.isEmpty()) {
            return DEFAULT_MEMORY_LIMIT;
        }
        Map<String, Long> units = Map.of("Ki", 1024L, "Mi", 1024L * 1024, "Gi", 1024L * 1024 * 1024, "K", 1000L,
                "M", 1000L * 1000, "G", 1000L * 1000 * 1000);
        for (Map.Entry<String, Long> unit : units.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> e.getKey().length()).reversed()).toList()) {
            if (limit.endsWith(unit.getKey())) {
                return Long.parseLong(limit.substring(0, limit.length() - unit.getKey().length())) * unit.getValue();
            }
        }
        return Long.parseLong(limit);
    }

    /** Writes each Secret volume's files where this test mounts it; answers mount path to local directory. */
    private Map<String, String> mountSecrets(String name, JsonNode pod, JsonNode container,
            Function<String, Map<String, String>> secrets) throws IOException {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            String volumeName = mount.path("name").asText();
            JsonNode volume = null;
            for (JsonNode candidate : pod.path("volumes")) {
                if (volumeName.equals(candidate.path("name").asText())) {
                    volume = candidate;
                }
            }
            if (volume == null) {
                throw new AssertionError(name + ": volume mount " + volumeName + " has no volume");
            }
            if (!volume.has("secret")) {
                continue;
            }
            String secretName = volume.path("secret").path("secretName").asText();
            Map<String, String> data = secrets.apply(secretName);
            if (data == null) {
                throw new AssertionError(name + ": mounts Secret " + secretName + ", which the cluster does not have");
            }
            Path directory = Files.createDirectories(workDirectory.resolve(name + "-" + volumeName));
            if (volume.path("secret").has("items")) {
                for (JsonNode item : volume.path("secret").path("items")) {
                    String value = data.get(item.path("key").asText());
                    if (value == null) {
                        throw new AssertionError(name + ": Secret " + secretName + " has no key " + item.path("key"));
                    }
                    Files.writeString(directory.resolve(item.path("path").asText()), value);
                }
            } else {
                for (Map.Entry<String, String> entry : data.entrySet()) {
                    Files.writeString(directory.resolve(entry.getKey()), entry.getValue());
                }
            }
            mounts.put(mount.path("mountPath").asText(), directory.toString());
        }
        return mounts;
    }

    /** Replaces each known address (longest first, so a.b.svc:1 goes before a:1) in a value. */
    static String rewrite(String value, Map<String, String> replacements) {
        String result = value;
        for (String from : replacements.keySet().stream().sorted(Comparator.comparing(String::length).reversed())
                .toList()) {
            result = result.replace(from, replacements.get(from));
        }
        return result;
    }

    /** SIGTERM to every instance (their graceful shutdown), SIGKILL to those still running after 30 s. */
    @Override
    public void close() {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
        instances.forEach(instance -> instance.process().destroy());
        for (Instance instance : instances) {
            try {
                if (!instance.process().waitFor(30, TimeUnit.SECONDS)) {
                    instance.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                instance.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
