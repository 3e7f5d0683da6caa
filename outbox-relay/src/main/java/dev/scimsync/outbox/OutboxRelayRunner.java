package dev.scimsync.outbox;

import dev.scimsync.runtime.DeletionInBatches;
import dev.scimsync.runtime.DeletionInBatches.Deleted;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the service's {@link OutboxRelay} for as long as the service runs (unless {@code outbox.enabled} is
 * false, as when Kafka Connect captures the outbox instead), reports it in {@code /q/metrics}
 * ({@code outbox_relay_streaming} is 1 on exactly one replica of a service while capture works: alert when no
 * replica streams; it is not a readiness check, since standby replicas serve requests as well), and deletes
 * outbox rows once they are old: the events are in the WAL from the commit on, so the rows are only kept
 * for looking at.
 */
@ApplicationScoped
public class OutboxRelayRunner {

    private static final Logger LOG = Logger.getLogger(OutboxRelayRunner.class);
    /** Rows deleted per transaction by the cleanup. */
    static final int CLEANUP_BATCH = 10_000;

    private final boolean enabled;
    private final OutboxRelaySettings settings;
    private final Duration retention;
    private final Pool pool;
    private volatile OutboxRelay relay;

    public OutboxRelayRunner(@ConfigProperty(name = "outbox.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            @ConfigProperty(name = "outbox.slot") String slot,
            @ConfigProperty(name = "outbox.publication") String publication,
            @ConfigProperty(name = "outbox.topics") Set<String> topics,
            // 100 ms: events reach Kafka within ~0.2 s (CaptureLatencyBench); 10 ms cost an idle service ~10% of a core.
            @ConfigProperty(name = "outbox.poll-interval", defaultValue = "PT0.1S") Duration pollInterval,
            @ConfigProperty(name = "outbox.heartbeat-interval", defaultValue = "PT10S") Duration heartbeatInterval,
            @ConfigProperty(name = "outbox.offset-flush-interval", defaultValue = "PT1S") Duration offsetFlushInterval,
            @ConfigProperty(name = "outbox.offsets-replication-factor", defaultValue = "1") short replicationFactor,
            @ConfigProperty(name = "outbox.retention", defaultValue = "P1D") Duration retention,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, Pool pool) {
        this.enabled = enabled;
        this.retention = retention;
        this.pool = pool;
        URI database = URI.create(jdbcUrl.substring("jdbc:".length()));
        Map<String, String> kafkaProperties = new HashMap<>();
        kafka.forEach((key, value) -> kafkaProperties.put(key, String.valueOf(value)));
        String bootstrapServers = kafkaProperties.remove("bootstrap.servers");
        this.settings = new OutboxRelaySettings(service, database.getHost(),
                database.getPort() < 0 ? 5432 : database.getPort(), database.getPath().substring(1), user, password,
                slot, publication, topics, bootstrapServers, kafkaProperties, replicationFactor, pollInterval,
                heartbeatInterval, offsetFlushInterval);
    }

    void start(@Observes StartupEvent startup, MeterRegistry meters) {
        if (!enabled) {
            LOG.info("outbox relay disabled (outbox.enabled=false): the outbox is captured elsewhere");
            return;
        }
        relay = new OutboxRelay(settings);
        relay.start();
        Gauge.builder("outbox_relay_streaming", this, runner -> runner.streaming() ? 1 : 0)
                .description("1 while the outbox relay streams from its replication slot").register(meters);
        FunctionCounter.builder("outbox_events_published", this, runner -> runner.relay.published())
                .description("Outbox events published to Kafka").register(meters);
        Gauge.builder("outbox_capture_lag_seconds", this, runner -> runner.relay.lastCaptureLagSeconds())
                .description("Commit to Kafka acknowledgement of the newest published outbox event").register(meters);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (relay != null) {
            relay.close();
        }
    }

    boolean streaming() {
        return relay != null && relay.streaming();
    }

    @Scheduled(every = "${outbox.cleanup-every:10m}", delayed = "1m")
    Uni<Void> deleteOldRows() {
        return deleteRowsBefore(pool, OffsetDateTime.now(ZoneOffset.UTC).minus(retention), CLEANUP_BATCH)
                .invoke(deleted -> {
                    if (deleted.rows() > 0) {
                        LOG.infof("deleted %d outbox rows older than %s (%d transactions)", deleted.rows(), retention,
                                deleted.batches());
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Deletes the heartbeats and the outbox events from before {@code cutoff}, {@code batch} rows per transaction
     * (a day's outbox in one would hold every event committed meanwhile until the capture decoded it all); returns
     * the events deleted. The {@code created_at} index lets each batch start at the oldest event.
     */
    static Uni<Deleted> deleteRowsBefore(Pool pool, OffsetDateTime cutoff, int batch) {
        return DeletionInBatches.deleteOlderThan(pool, "outbox_heartbeat", "id", "beat_at", cutoff, batch)
                .chain(() -> DeletionInBatches.deleteOlderThan(pool, "outbox_event", "id", "created_at", cutoff,
                        batch));
    }
}
