package dev.scimsync.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The header names are the CloudEvents Kafka binding's and W3C's: consumers outside this project read them. */
class CloudEventHeadersTest {

    @Test
    void headerNamesAreTheBindingsOwn() {
        assertEquals(List.of("ce_id", "ce_type", "ce_source", "ce_subject", "ce_time", "ce_specversion",
                        "ce_connectionid", "content-type", "traceparent"),
                List.of(CloudEventHeaders.ID, CloudEventHeaders.TYPE, CloudEventHeaders.SOURCE,
                        CloudEventHeaders.SUBJECT, CloudEventHeaders.TIME, CloudEventHeaders.SPEC_VERSION,
                        CloudEventHeaders.CONNECTION_ID, CloudEventHeaders.CONTENT_TYPE,
                        CloudEventHeaders.TRACEPARENT));
        assertEquals("1.0", CloudEventHeaders.SPEC_VERSION_1_0);
    }
}
