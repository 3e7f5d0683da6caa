package dev.scimsync.audit.api;

import dev.scimsync.audit.messaging.DeadLetterTopics;
import dev.scimsync.contracts.Topics;
import dev.scimsync.runtime.StoredTime;
import io.smallrye.common.annotation.Blocking;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin API (behind the gateway's /admin/v1/dead-letters): what every service parked on its dead-letter topic
 * because it could never apply it, and the replay of one record after a fix. Outages park nothing (the
 * consumers wait for their database), so what is listed here is a message that needs a person.
 */
@Path("/internal/v1/admin/dead-letters")
@Blocking
public class DeadLettersResource {

    private static final int MAX_LIMIT = 500;
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(10);

    public record DeadLetterView(String id, String topic, int partition, long offset, Instant parkedAt,
            String originalTopic, Integer originalPartition, Long originalOffset, String key, String reason,
            String cause, int size, String preview, Instant replayedAt, String replayedTo) {
    }

    public record DeadLetterList(List<DeadLetterView> deadLetters) {
    }

    public record Replay(String id, String replayedTo, Instant replayedAt) {
    }

    private record Replayed(Instant at, String to) {
    }

    private final DeadLetterTopics topics;
    private final Pool pool;
    private final Clock clock;

    public DeadLettersResource(DeadLetterTopics topics, Pool pool, Clock clock) {
        this.topics = topics;
        this.pool = pool;
        this.clock = clock;
    }

    /** The newest parked records (at most {@code limit} per topic, newest first), with their replays. */
    @GET
    public Response list(@QueryParam("topic") String topic, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (topic != null && !Topics.DEAD_LETTERS.contains(topic)) {
            return AdminProblems.of(400, "unknown dead-letter topic '" + topic + "'; one of " + Topics.DEAD_LETTERS);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return AdminProblems.of(400, "'limit' must be between 1 and " + MAX_LIMIT);
        }
        List<DeadLetterTopics.DeadLetter> parked = topics.newest(topic == null ? Topics.DEAD_LETTERS : List.of(topic),
                limit);
        Map<String, Replayed> replays = replays(parked);
        return Response.ok(new DeadLetterList(parked.stream().map(letter -> {
            Replayed replayed = replays.get(id(letter.topic(), letter.partition(), letter.offset()));
            return new DeadLetterView(id(letter.topic(), letter.partition(), letter.offset()), letter.topic(),
                    letter.partition(), letter.offset(), letter.parkedAt(), letter.originalTopic(),
                    letter.originalPartition(), letter.originalOffset(), letter.key(), letter.reason(), letter.cause(),
                    letter.size(), letter.preview(), replayed == null ? null : replayed.at(),
                    replayed == null ? null : replayed.to());
        }).toList())).type(MediaType.APPLICATION_JSON).build();
    }

    /**
     * Replays one parked record (see {@link DeadLetterTopics}): 200 with where it went; 409 if it was replayed
     * before (unless {@code again=true}); 422, the record staying parked, if it still cannot be applied.
     */
    @POST
    @Path("/{topic}/{partition}/{offset}/replay")
    public Response replay(@PathParam("topic") String topic, @PathParam("partition") int partition,
            @PathParam("offset") long offset, @QueryParam("again") @DefaultValue("false") boolean again) {
        String id = id(topic, partition, offset);
        if (topics.find(topic, partition, offset).isEmpty()) {
            return AdminProblems.of(404, "no dead letter " + id);
        }
        Replayed before = replayed(topic, partition, offset);
        if (before != null && !again) {
            return AdminProblems.of(409, id + " was replayed at " + before.at() + " (to " + before.to()
                    + "); add ?again=true to replay it once more");
        }
        String to;
        try {
            to = topics.replay(topic, partition, offset);
        } catch (DeadLetterTopics.NotReplayable e) {
            return AdminProblems.of(422, id + " was not replayed: " + e.getMessage());
        }
        Instant at = StoredTime.now(clock);
        pool.preparedQuery("insert into dead_letter_replay (topic, partition, \"offset\", replayed_at, replayed_to) "
                + "values ($1, $2, $3, $4, $5) on conflict (topic, partition, \"offset\") do update set "
                + "replayed_at = excluded.replayed_at, replayed_to = excluded.replayed_to")
                .execute(Tuple.of(topic, partition, offset, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), to))
                .await().atMost(DATABASE_TIMEOUT);
        return Response.ok(new Replay(id, to, at)).type(MediaType.APPLICATION_JSON).build();
    }

    private Replayed replayed(String topic, int partition, long offset) {
        var rows = pool.preparedQuery("select replayed_at, replayed_to from dead_letter_replay where topic = $1 "
                + "and partition = $2 and \"offset\" = $3").execute(Tuple.of(topic, partition, offset))
                .await().atMost(DATABASE_TIMEOUT);
        return rows.size() == 0 ? null : replayed(rows.iterator().next());
    }

    private Map<String, Replayed> replays(List<DeadLetterTopics.DeadLetter> parked) {
        Map<String, Replayed> replays = new HashMap<>();
        if (parked.isEmpty()) {
            return replays;
        }
        pool.preparedQuery("select topic, partition, \"offset\", replayed_at, replayed_to from dead_letter_replay "
                + "where topic = any($1)").execute(Tuple.of(parked.stream().map(DeadLetterTopics.DeadLetter::topic)
                        .distinct().toArray(String[]::new)))
                .await().atMost(DATABASE_TIMEOUT)
                .forEach(row -> replays.put(id(row.getString("topic"), row.getInteger("partition"),
                        row.getLong("offset")), replayed(row)));
        return replays;
    }

    private static Replayed replayed(Row row) {
        return new Replayed(row.getOffsetDateTime("replayed_at").toInstant(), row.getString("replayed_to"));
    }

    private static String id(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }
}
