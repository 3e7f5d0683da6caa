package dev.scimsync.contracts;

/**
 * The Kafka headers of the services' events: CloudEvents 1.0 in Kafka binary mode (attributes as {@code ce_}
 * headers, the JSON data as the record's value), plus the W3C trace context. The outbox relay writes them, and
 * audit-service, the tests and any other consumer read them by these names.
 *
 * @see <a href="https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md">
 *      CloudEvents Kafka protocol binding, binary content mode</a>
 */
public final class CloudEventHeaders {

    /** Every CloudEvents attribute header starts with this. */
    public static final String PREFIX = "ce_";
    /** The event's id, unique per event: consumers deduplicate by it. */
    public static final String ID = PREFIX + "id";
    /** One of {@link EventTypes}. */
    public static final String TYPE = PREFIX + "type";
    /** {@code /scim-provisioning/<service>}: the service that published the event. */
    public static final String SOURCE = PREFIX + "source";
    /** The member or team the event is about. */
    public static final String SUBJECT = PREFIX + "subject";
    /**
     * When the change was written (ISO-8601, UTC), inside its transaction - not when it committed: two transactions
     * can commit in the other order, so within a partition it can go back. Consumers order by offset.
     */
    public static final String TIME = PREFIX + "time";
    /** Always {@link #SPEC_VERSION_1_0}. */
    public static final String SPEC_VERSION = PREFIX + "specversion";
    /**
     * Our extension attribute: the IdP connection the member's account (or the token) belongs to; absent when it
     * has none. It says whose member, not who acted: an admin's removal by hand of a SCIM member carries it too.
     */
    public static final String CONNECTION_ID = PREFIX + "connectionid";
    /** The {@code content-type} header: the data's media type ({@code application/json}). */
    public static final String CONTENT_TYPE = "content-type";
    /** The W3C trace context (OpenTelemetry's header), carried from the SCIM request to every event it causes. */
    public static final String TRACEPARENT = "traceparent";

    public static final String SPEC_VERSION_1_0 = "1.0";

    private CloudEventHeaders() {
    }
}
