package dev.scimsync.outbox;

import dev.scimsync.contracts.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The trace context events carry: a service sets {@link #SETTING} for its transaction to the
 * {@code traceparent} the command arrived with, and the outbox triggers copy it onto every event they write.
 */
public final class OutboxTrace {

    /** The transaction-local PostgreSQL setting the outbox triggers read. */
    public static final String SETTING = "scimsync.traceparent";

    private OutboxTrace() {
    }

    /** The W3C trace context of a Kafka record (OpenTelemetry's {@code traceparent} header), or null. */
    public static String traceparent(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(CloudEventHeaders.TRACEPARENT);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
