package dev.scimsync.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker (broker and controller in one) run as its own JVM process from the
 * Kafka jars on this launcher's class path. Its log directory lives under the stack's data directory,
 * so topics and offsets survive a restart.
 */
public final class KafkaBroker implements AutoCloseable {

    /**
     * A second listener, for TLS clients, beside the PLAINTEXT one the launcher and tests use: the broker's
     * PKCS#12 key store and the PKCS#12 trust store holding the CA its clients' certificates are signed by (both
     * with {@code password}). Without {@code scramUser}, clients must present a certificate that CA signed
     * (mutual TLS, listener SSL); with it, they log in with SCRAM-SHA-512 as that user (listener SASL_SSL).
     */
    public record TlsListener(int port, Path keyStore, Path trustStore, String password, ScramUser scramUser) {

        public TlsListener(int port, Path keyStore, Path trustStore, String password) {
            this(port, keyStore, trustStore, password, null);
        }

        String name() {
            return scramUser == null ? "SSL" : "SASL_SSL";
        }
    }

    /** A SCRAM-SHA-512 user the broker's storage is formatted with. */
    public record ScramUser(String name, String password) {
    }

    /** The broker's JVM options; STACK_KAFKA_JVM_OPTIONS replaces them. */
    private static final String JVM_OPTIONS = System.getenv().getOrDefault("STACK_KAFKA_JVM_OPTIONS", "-Xmx512m").trim();

    private final Process process;
    private final int port;
    private final Path directory;
    private final int controllerPort;
    private final Path logFile;
    private final TlsListener tls;

    private KafkaBroker(Process process, int port, Path directory, int controllerPort, Path logFile, TlsListener tls) {
        this.process = process;
        this.port = port;
        this.directory = directory;
        this.controllerPort = controllerPort;
        this.logFile = logFile;
        this.tls = tls;
    }

    /**
     * Kills the broker (SIGKILL: no clean shutdown, no flush) and, {@code down} later, starts it again on the
     * same log.
     */
    public KafkaBroker killAndRestart(Duration down) throws IOException, InterruptedException {
        process.destroyForcibly().waitFor();
        Thread.sleep(down.toMillis());
        return start(directory, port, controllerPort, logFile, tls);
    }

    public static KafkaBroker start(Path directory, int port, int controllerPort, Path logFile)
            throws IOException, InterruptedException {
        return start(directory, port, controllerPort, logFile, null);
    }

    /** A broker with a PLAINTEXT listener on {@code port} and, unless {@code tls} is null, a TLS one. */
    public static KafkaBroker start(Path directory, int port, int controllerPort, Path logFile, TlsListener tls)
            throws IOException, InterruptedException {
        Path logDirs = directory.resolve("logs");
        Files.createDirectories(logDirs);
        Path config = directory.resolve("server.properties");
        Files.writeString(config, serverProperties(logDirs, port, controllerPort, tls));

        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            List<String> formatArgs = new java.util.ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(),
                    "-c", config.toString()));
            if (tls != null && tls.scramUser() != null) {
                // KRaft keeps SCRAM credentials in the metadata log: the user exists from the first start on.
                formatArgs.addAll(List.of("--add-scram", "SCRAM-SHA-512=[name=" + tls.scramUser().name()
                        + ",password=" + tls.scramUser().password() + "]"));
            }
            Process format = JavaProcess.builder("kafka.tools.StorageTool", formatArgs)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IOException("formatting Kafka storage failed, see " + logFile);
            }
        }
        Process broker = JavaProcess.builder("kafka.Kafka", List.of(config.toString()), JVM_OPTIONS.split("\\s+"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        KafkaBroker kafka = new KafkaBroker(broker, port, directory, controllerPort, logFile, tls);
        kafka.awaitReady(Duration.ofSeconds(90), logFile);
        return kafka;
    }

    private static String serverProperties(Path logDirs, int port, int controllerPort, TlsListener tls) {
        String tlsListener = tls == null ? "" : "," + tls.name() + "://localhost:" + tls.port();
        String prefix = tls == null ? "" : "listener.name." + tls.name().toLowerCase(java.util.Locale.ROOT) + ".";
        String tlsSettings = tls == null ? "" : String.join("\n",
                prefix + "ssl.keystore.type=PKCS12",
                prefix + "ssl.keystore.location=" + tls.keyStore(),
                prefix + "ssl.keystore.password=" + tls.password(),
                prefix + "ssl.truststore.type=PKCS12",
                prefix + "ssl.truststore.location=" + tls.trustStore(),
                prefix + "ssl.truststore.password=" + tls.password(),
                tls.scramUser() == null ? prefix + "ssl.client.auth=required" : String.join("\n",
                        prefix + "sasl.enabled.mechanisms=SCRAM-SHA-512",
                        prefix + "scram-sha-512.sasl.jaas.config="
                                + "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + port + tlsListener + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + port + tlsListener,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + (tls == null ? "" : "," + tls.name() + ":" + tls.name()),
                tlsSettings,
                "log.dirs=" + logDirs,
                // One node: internal topics cannot have more replicas, and consumer groups never start otherwise.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.partitions=4",
                "") ;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** The TLS listener's address; only for a broker started with one. */
    public String tlsBootstrapServers() {
        if (tls == null) {
            throw new IllegalStateException("this broker has no TLS listener");
        }
        return "localhost:" + tls.port();
    }

    private void awaitReady(Duration timeout, Path logFile) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("Kafka exited with " + process.exitValue() + ", see " + logFile);
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException notYet) {
                Thread.sleep(250);
            }
        }
        close();
        throw new IOException("Kafka was not ready within " + timeout + ", see " + logFile);
    }

    private Admin admin() {
        return KafkaTopics.admin(bootstrapServers());
    }

    @Override
    public void close() {
        JavaProcess.stop(process, Duration.ofSeconds(30));
    }
}
