package dev.scimsync.audit.persistence;

import dev.scimsync.audit.domain.ChainKeys;
import dev.scimsync.audit.domain.ChainVerification;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Recomputes a connection's chain as stored, from its retention checkpoint (or its first record), a page at a
 * time so memory stays bounded, and names the first record that does not fit ({@link ChainVerification}).
 */
@ApplicationScoped
public class AuditLogVerifier {

    /** Records read per statement. */
    static final int PAGE = 1000;

    private final ChainKeys keys;

    public AuditLogVerifier(ChainKeys keys) {
        this.keys = keys;
    }

    /**
     * @param head the latest head published outside the database, or null; it must be taken before the records
     *             are read (a head is published only after its records were committed)
     */
    public Uni<ChainVerification.Result> verify(String connection, ChainVerification.PublishedHead head) {
        return Panache.withSession(() -> checkpoint(connection)
                .chain(start -> verifyPages(connection, new ChainVerification(keys, start, head))));
    }

    /** Where retention left the chain: the last record it dropped, or genesis. */
    private static Uni<ChainVerification.Start> checkpoint(String connection) {
        AuditQuery query = new AuditQuery();
        query.equal("connection_id", connection);
        return query.run("select last_seq, last_hash, last_key_id from audit_checkpoint" + query.where())
                .map(rows -> rows.isEmpty() ? ChainVerification.Start.GENESIS
                        : new ChainVerification.Start(((Number) rows.get(0)[0]).longValue(), (String) rows.get(0)[1],
                                (String) rows.get(0)[2]));
    }

    private static Uni<ChainVerification.Result> verifyPages(String connection, ChainVerification verification) {
        AuditQuery query = new AuditQuery();
        query.equal("connection_id", connection).condition("seq > " + query.parameter(verification.lastSeq()));
        String sql = "select " + AuditLog.COLUMNS + " from audit_log" + query.where() + " order by seq limit " + PAGE;
        return query.run(sql).chain(rows -> {
            List<AuditLog.Stored> page = AuditLog.read(rows);
            for (AuditLog.Stored stored : page) {
                if (!verification.check(stored.entry(), stored.hash())) {
                    return Uni.createFrom().item(verification.result());
                }
            }
            if (page.size() < PAGE) {
                return Uni.createFrom().item(verification.result());
            }
            return verifyPages(connection, verification);
        });
    }
}
