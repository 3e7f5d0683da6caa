package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;
import java.util.List;

/**
 * A message a service parked because it could never apply it: where it is parked ({@code topic}, {@code partition},
 * {@code offset}), where it came from, why, a preview, and whether it was replayed.
 */
@TemplateData
public record DeadLetter(String id, String topic, int partition, long offset, Instant parkedAt, String originalTopic,
        Integer originalPartition, Long originalOffset, String key, String reason, String cause, int size,
        String preview, Instant replayedAt, String replayedTo) {

    /** The dead letters a listing found. */
    public record Parked(List<DeadLetter> deadLetters) {

        public Parked {
            deadLetters = deadLetters == null ? List.of() : List.copyOf(deadLetters);
        }
    }

    /** Where a replay sent the message. */
    public record Replay(String replayedTo) {
    }
}
