package dev.scimsync.gateway.console.view;

import io.quarkus.qute.TemplateData;
import java.time.Instant;
import java.util.List;

/** The deactivations and removals a connection's guard holds (and has held), in the order the IdP sent them. */
public record HeldChanges(long held, List<Change> changes) {

    public HeldChanges {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** @param state {@code held}, {@code approved}, {@code rejected} or {@code superseded} */
    @TemplateData
    public record Change(long seq, String userName, String change, Instant heldAt, String state, Instant decidedAt) {
    }

    /** What approving or rejecting did. */
    public record Decision(int approved, int superseded, int rejected) {
    }
}
