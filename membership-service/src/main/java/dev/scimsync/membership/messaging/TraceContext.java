package dev.scimsync.membership.messaging;

import dev.scimsync.outbox.OutboxTrace;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Hands a command's W3C trace context to its transaction, so the outbox triggers put it on the events. */
final class TraceContext {

    private TraceContext() {
    }

    /** Sets {@code scimsync.traceparent} for the current transaction only (read by the outbox triggers). */
    static Uni<Void> attach(String traceparent) {
        if (traceparent == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(session -> session
                .createNativeQuery("select set_config(?1, ?2, true)")
                .setParameter(1, OutboxTrace.SETTING)
                .setParameter(2, traceparent)
                .getSingleResult())
                .replaceWithVoid();
    }
}
