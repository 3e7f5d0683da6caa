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
     * A second listener, for TLS clients that must present a certificate (mutual TLS), beside the PLAINTEXT one
     * the launcher and tests use: the broker's PKCS#12 key store and the PKCS#12 trust store holding the CA its
     * clients' certificates are signed by (both with {@code password}).
     */
    public record TlsListener(int port, Path keyStore, Path trustStore, String password) {
    }

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

    /** A broker with a PLAINTEXT listener on {@code port} and, unless {@code tls} is null, a mutual-TLS one. */
    public static KafkaBroker start(Path directory, int port, int controllerPort, Path logFile, TlsListener tls)
            throws IOException, InterruptedException {
        Path logDirs = directory.resolve("logs");
        Files.createDirectories(logDirs);
        Path config = directory.resolve("server.properties");
        Files.writeString(config, serverProperties(logDirs, port, controllerPort, tls));

        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            Process format = JavaProcess.builder("kafka.tools.StorageTool",
                            List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IOException("formatting Kafka storage failed, see " + logFile);
            }
        }
        Process broker = JavaProcess.builder("kafka.Kafka", List.of(config.toString()), "-Xmx512m")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        KafkaBroker kafka = new KafkaBroker(broker, port, directory, controllerPort, logFile, tls);
        kafka.awaitReady(Duration.ofSeconds(90), logFile);
        return kafka;
    }

    private static String serverProperties(Path logDirs, int port, int controllerPort, TlsListener tls) {
        String tlsListener = tls == null ? "" : ",SSL://localhost:" + tls.port();
        String tlsSettings = tls == null ? "" : String.join("\n",
                "listener.name.ssl.ssl.keystore.type=PKCS12",
                "listener.name.ssl.ssl.keystore.location=" + tls.keyStore(),
                "listener.name.ssl.ssl.keystore.password=" + tls.password(),
                "listener.name.ssl.ssl.truststore.type=PKCS12",
                "listener.name.ssl.ssl.truststore.location=" + tls.trustStore(),
                "listener.name.ssl.ssl.truststore.password=" + tls.password(),
                "listener.name.ssl.ssl.client.auth=required");
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + port + tlsListener + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + port + tlsListener,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + (tls == null ? "" : ",SSL:SSL"),
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

    /** The mutual-TLS listener's address; only for a broker started with one. */
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
