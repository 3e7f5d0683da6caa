package dev.scimsync.gateway.auth;

import dev.scimsync.contracts.internal.ScimTokenUse;
import dev.scimsync.gateway.membership.MembershipClient;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Keeps each SCIM token's last_used_at (shown to admins, who revoke tokens nobody uses) meaningful now that
 * tokens are verified here: the ids of the tokens accepted since the last report go to membership-service in
 * one call every {@code scim.token-usage.report-interval} - never a call per request. A report that fails is
 * sent again with the next one.
 */
@ApplicationScoped
public class TokenUsage {

    private static final Logger LOG = Logger.getLogger(TokenUsage.class);

    private final MembershipClient membership;
    private final Set<String> used = ConcurrentHashMap.newKeySet();

    public TokenUsage(@RestClient MembershipClient membership) {
        this.membership = membership;
    }

    void used(String tokenId) {
        used.add(tokenId);
    }

    @Scheduled(every = "${scim.token-usage.report-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> report() {
        if (used.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> batch = new ArrayList<>(used);
        batch.forEach(used::remove);
        return membership.reportTokenUse(new ScimTokenUse(batch))
                .map(answer -> answer.getStatus() / 100 == 2)
                .onFailure().recoverWithItem(false)
                .invoke(reported -> {
                    if (!reported) {
                        LOG.warnf("membership-service did not take the use of %d SCIM token(s); reporting it again next time",
                                batch.size());
                        used.addAll(batch);
                    }
                })
                .replaceWithVoid();
    }
}
