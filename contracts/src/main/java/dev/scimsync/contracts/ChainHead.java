package dev.scimsync.contracts;

import java.time.Instant;

/**
 * The head of one connection's audit chain, published by audit-service on {@link Topics#AUDIT_CHAIN_HEADS}
 * (keyed by connection id; compacted) so that a record later removed or rewritten in the audit database is
 * found by {@code verify} even by someone who also controls that database. Published periodically, and only for
 * chains that moved since their last published head.
 *
 * @param seq        the sequence number of the chain's last record
 * @param value      that record's chain value (HMAC-SHA256, or SHA-256 for a chain not keyed yet), hex
 * @param keyId      the chain key the value was made with, or null for an unkeyed record
 * @param recordedAt when that record was stored
 */
public record ChainHead(String connectionId, long seq, String value, String keyId, Instant recordedAt,
        Instant publishedAt) {
}
