package dev.scimsync.membership.messaging;

import dev.scimsync.contracts.GroupPlacements;
import dev.scimsync.runtime.Retry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes group-sync-service's group placements a poll at a time (keyed by user, so each user's records keep
 * their order) and acknowledges the poll once they are committed; while the database cannot be reached the poll
 * is retried and the records wait in Kafka.
 */
@ApplicationScoped
public class GroupPlacementConsumer {

    public static final String PLACEMENTS = "group-placements";
    private static final Logger LOG = Logger.getLogger(GroupPlacementConsumer.class);

    private final GroupPlacementApplier applier;

    public GroupPlacementConsumer(GroupPlacementApplier applier) {
        this.applier = applier;
    }

    @Incoming(PLACEMENTS)
    public Uni<Void> consume(KafkaRecordBatch<String, GroupPlacements> batch) {
        List<GroupPlacements> records = new ArrayList<>();
        for (KafkaRecord<String, GroupPlacements> record : batch.getRecords()) {
            if (record.getPayload() == null) {
                // Written by group-sync's own trigger, so never expected; the user's next record carries its whole
                // set again, so skipping one loses no state for good.
                LOG.errorf("an unreadable group placement record for user %s was skipped (partition %d)", record.getKey(),
                        record.getPartition());
            } else {
                records.add(record.getPayload());
            }
        }
        return applier.apply(records)
                .onFailure().invoke(failure -> LOG.warnf("%d group placements could not be applied (%s); retrying",
                        records.size(), failure.toString()))
                .plug(Retry::untilItSucceeds)
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }
}
