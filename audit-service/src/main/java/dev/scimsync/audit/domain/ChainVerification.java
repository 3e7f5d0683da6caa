package dev.scimsync.audit.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * Walks one connection's stored records in sequence order and names the first that does not fit: a missing
 * sequence number, a predecessor that is not the record before it, a value its key does not reproduce, a key id
 * not configured, an unkeyed record after keyed ones, or a stored chain that does not reach or match the head
 * published outside the database.
 */
public final class ChainVerification {

    /**
     * Where verification starts: the connection's first record (genesis), or the last record retention dropped
     * (its checkpoint), whose value the first retained record must name as its predecessor.
     *
     * @param keyId the checkpoint record's key id; null at genesis or if it was unkeyed
     */
    public record Start(long afterSeq, String value, String keyId) {
        public static final Start GENESIS = new Start(0, HashChain.GENESIS, null);
    }

    /** The latest chain head published outside the audit database for this connection. */
    public record PublishedHead(long seq, String value, Instant publishedAt) {
    }

    /**
     * @param checked  records checked, up to and including the broken one
     * @param keyed    records with a MAC among them
     * @param unkeyed  records with a plain SHA-256 (written before the chain was keyed) among them
     * @param brokenId null when the break is records missing after the last stored one, or the checkpoint
     */
    public record Result(long startedAfterSeq, long checked, long keyed, long unkeyed, boolean intact,
            Long brokenSeq, UUID brokenId, String problem) {
    }

    private final ChainKeys keys;
    private final Start start;
    private final PublishedHead head;
    private long lastSeq;
    private String lastValue;
    private boolean keyedSoFar;
    private long checked;
    private long keyed;
    private long unkeyed;
    private Long brokenSeq;
    private UUID brokenId;
    private String problem;
    /** The stored value at the published head's sequence, once passed. */
    private String valueAtHead;
    private UUID idAtHead;

    /** @param head null when no head has been published for the connection (yet) */
    public ChainVerification(ChainKeys keys, Start start, PublishedHead head) {
        this.keys = keys;
        this.start = start;
        this.head = head;
        this.lastSeq = start.afterSeq();
        this.lastValue = start.value();
        this.keyedSoFar = start.keyId() != null;
        if (head != null && head.seq() == start.afterSeq()) {
            valueAtHead = start.value();
        }
    }

    /** Checks the next stored record; answers false once the chain is broken (feed no more). */
    public boolean check(AuditEntry entry, String storedValue) {
        if (problem != null) {
            throw new IllegalStateException("the chain is already broken at " + brokenSeq);
        }
        checked++;
        String found = problemWith(entry, storedValue);
        if (found != null) {
            brokenSeq = entry.seq();
            brokenId = entry.id();
            problem = found;
            return false;
        }
        if (entry.keyId() == null) {
            unkeyed++;
        } else {
            keyed++;
            keyedSoFar = true;
        }
        lastSeq = entry.seq();
        lastValue = storedValue;
        if (head != null && head.seq() == lastSeq) {
            valueAtHead = storedValue;
            idAtHead = entry.id();
        }
        return true;
    }

    private String problemWith(AuditEntry entry, String storedValue) {
        if (entry.seq() != lastSeq + 1) {
            return "sequence jumps from " + lastSeq + " to " + entry.seq() + " (a record is missing)";
        }
        if (!entry.previousHash().equals(lastValue)) {
            return lastSeq == start.afterSeq() && start.afterSeq() > 0
                    ? "previous value does not match the retention checkpoint (the last record retention dropped)"
                    : "previous value does not match the record before it";
        }
        if (entry.keyId() == null && keyedSoFar) {
            return "unkeyed record after keyed ones (a keyed chain never goes back to plain SHA-256: the record was "
                    + "forged without the key)";
        }
        var value = keys.chainValue(entry);
        if (value.isEmpty()) {
            return "chained with key id '" + entry.keyId() + "', which is not configured (audit.chain.keys."
                    + entry.keyId() + ")";
        }
        if (!value.get().equals(storedValue)) {
            return entry.keyId() == null ? "content does not match its hash (the record was changed)"
                    : "content does not match its MAC with key '" + entry.keyId() + "' (the record was changed)";
        }
        return null;
    }

    public long lastSeq() {
        return lastSeq;
    }

    /** The verdict on what was checked, compared with the published head if the stored records are intact. */
    public Result result() {
        if (problem == null && head != null) {
            if (head.seq() > lastSeq) {
                return broken(lastSeq + 1, null, "the chain head published at " + head.publishedAt() + " is at seq "
                        + head.seq() + " but the stored chain ends at " + lastSeq + " (records were removed)");
            }
            if (valueAtHead != null && !valueAtHead.equals(head.value())) {
                return broken(head.seq(), idAtHead, "record " + head.seq() + " does not match the chain head published at "
                        + head.publishedAt() + " (the chain was rewritten)");
            }
        }
        return new Result(start.afterSeq(), checked, keyed, unkeyed, problem == null, brokenSeq, brokenId, problem);
    }

    private Result broken(long seq, UUID id, String why) {
        return new Result(start.afterSeq(), checked, keyed, unkeyed, false, seq, id, why);
    }
}
