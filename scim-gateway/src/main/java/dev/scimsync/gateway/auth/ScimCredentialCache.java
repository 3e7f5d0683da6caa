package dev.scimsync.gateway.auth;

import dev.scimsync.contracts.ScimCredential;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Every SCIM token's current state, read from scim.credentials (membership-service's outbox; compacted, so
 * reading it from the beginning yields every token) by each gateway instance in a consumer group of its own.
 * A revocation or SCIM switched off reaches this map as soon as the record arrives - well under a second
 * after its commit - and the next request with that token is refused.
 *
 * <p>Records are kept on the consumer's event loop ({@code @NonBlocking}): keeping one is a map merge and a readiness
 * count. Left to the signature (void), Quarkus would hand each record to a worker thread and back, as it did the
 * gateway's outcomes (docs/performance.md, "the outcomes' hop through a worker thread").
 */
@ApplicationScoped
public class ScimCredentialCache {

    public static final String CHANNEL = "scim-credentials";

    private final Map<String, ScimCredential> byTokenId = new ConcurrentHashMap<>();
    private final ScimCredentialsReadiness readiness;

    public ScimCredentialCache(@Identifier(ScimCredentialsReadiness.NAME) ScimCredentialsReadiness readiness) {
        this.readiness = readiness;
    }

    @Incoming(CHANNEL)
    @NonBlocking
    public void onCredential(ConsumerRecord<String, ScimCredential> record) {
        // Unreadable records arrive with a null value (fail-on-deserialization-failure=false): nothing to keep.
        ScimCredential credential = record.value();
        if (credential != null && credential.tokenId() != null) {
            // A revocation is final (a token never works again, its id is never reused): the token's older live
            // record, read after this instance revoked it itself (revokedHere), must not bring it back.
            byTokenId.merge(credential.tokenId(), credential,
                    (known, read) -> known.revoked() && !read.revoked() ? known : read);
        }
        readiness.consumed(new TopicPartition(record.topic(), record.partition()), record.offset());
    }

    Optional<ScimCredential> find(String tokenId) {
        return Optional.ofNullable(byTokenId.get(tokenId));
    }

    /**
     * A token this instance has just seen revoked (an admin's DELETE answered 2xx through its admin API or
     * console): refused here at once, without waiting for the record - which says the same when it arrives.
     * Other instances refuse it when they read that record, well under a second later.
     */
    public void revokedHere(String tokenId) {
        byTokenId.compute(tokenId, (id, known) -> new ScimCredential(id,
                known == null ? null : known.connectionId(), known == null ? null : known.connectionName(),
                null, null, known != null && known.scimEnabled(), true));
    }

    /**
     * A token membership-service has just verified, before its record arrived: kept until the record replaces
     * it. Only if the topic has said nothing about the token meanwhile - a record read since (a revocation,
     * say) is newer than this answer and wins.
     */
    void learned(ScimCredential credential) {
        byTokenId.putIfAbsent(credential.tokenId(), credential);
    }
}
