package dev.scimsync.membership.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;

/**
 * The W3C trace context a command arrived with (OpenTelemetry puts it in the record's {@code traceparent}
 * header), handed to the transaction so that the outbox triggers put it on the events it causes.
 */
final class TraceContext {

    private TraceContext() {
    }

    static String traceparent(IncomingKafkaRecordMetadata<?, ?> metadata) {
        if (metadata == null || metadata.getHeaders() == null) {
            return null;
        }
        Header header = metadata.getHeaders().lastHeader("traceparent");
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Sets {@code scimsync.traceparent} for the current transaction only (read by the outbox triggers). */
    static Uni<Void> attach(String traceparent) {
        if (traceparent == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(session -> session
                .createNativeQuery("select set_config('scimsync.traceparent', ?1, true)")
                .setParameter(1, traceparent)
                .getSingleResult())
                .replaceWithVoid();
    }
}
