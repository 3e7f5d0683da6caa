package dev.scimsync.gateway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimsync.gateway.scim.ScimException;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** What the IdP hears when Kafka does not take a command. */
class CommandDispatcherTest {

    @Test
    void aRecordKafkaRefusesForItsSizeIs413AndNeverA503() {
        for (Throwable refused : new Throwable[] {
                new RecordTooLargeException("The message is 2000123 bytes when serialized which is larger than 1048576"),
                new CompletionException(new RecordTooLargeException("The request included a message larger than "
                        + "the max message size the server will accept.")),
                new RecordBatchTooLargeException("The request included message batch larger than the configured "
                        + "segment size on the server.")}) {
            ScimException answer = CommandDispatcher.publishFailure(refused);
            assertEquals(413, answer.status(), refused.toString());
            assertEquals("the request makes a command larger than the message broker accepts", answer.detail());
            assertTrue(answer.retryAfterSeconds().isEmpty());
        }
    }

    @Test
    void aBrokerThatIsAwayIs503WithRetryAfter() {
        ScimException answer = CommandDispatcher.publishFailure(new TimeoutException("Topic not present in metadata"));
        assertEquals(503, answer.status());
        assertEquals(5, answer.retryAfterSeconds().getAsInt());
    }

    @Test
    void aCommandBudgetTheProducerWouldNotSendStopsTheStart() {
        CommandDispatcher.requireBelow("scim.limits.group-command-bytes", 1_000_000, "group-commands", 1_048_576);

        IllegalStateException tooLarge = assertThrows(IllegalStateException.class, () -> CommandDispatcher.requireBelow(
                "scim.limits.group-command-bytes", 1_040_000, "group-commands", 1_048_576));
        assertEquals("scim.limits.group-command-bytes (1040000) leaves less than 16384 bytes below the "
                + "max.request.size of group-commands (1048576)", tooLarge.getMessage());
    }
}
