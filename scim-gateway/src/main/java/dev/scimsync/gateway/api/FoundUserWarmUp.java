package dev.scimsync.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimsync.gateway.scim.Projection;
import dev.scimsync.gateway.scim.ScimEndpoints;
import dev.scimsync.gateway.scim.filter.AttributePath;
import dev.scimsync.gateway.scim.filter.Filter;
import dev.scimsync.gateway.scim.filter.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Looks up the first user this gateway creates, by its userName, {@code scim.found-user-warm-up.lookups} times (0:
 * never), in the background - the IdP's own lookup, through the same search, membership-service and
 * group-sync-service calls and rendering, read-only. An initial sync's lookups find nobody, so otherwise the IdP's
 * first reads of existing users right after it are the first found users of the gateway's and membership-service's
 * lives, and that path is compiled while the IdP waits: p99 408 ms in the first 10 s after a 20,000-user sync on a
 * fresh stack, 53 ms once 2,000 found lookups had run before it (docs/performance.md, 2026-12-02). One lookup at a
 * time, {@code scim.found-user-warm-up.pause} apart, so a sync just starting is not crowded; the first failure ends
 * it (logged). Runs on a thread of its own: no request's context, trace or log fields travel with it.
 */
@ApplicationScoped
public class FoundUserWarmUp {

    private static final Logger LOG = Logger.getLogger(FoundUserWarmUp.class);
    /** Only rendered into the discarded pages' {@code meta.location}. */
    private static final ScimEndpoints ENDPOINTS = new ScimEndpoints(URI.create("http://found-user-warm-up.invalid/scim/v2"));
    private static final Duration EACH_AT_MOST = Duration.ofSeconds(10);

    private final UserSearch search;
    private final ObjectMapper mapper;
    private final int lookups;
    private final Duration pause;
    private final AtomicBoolean started = new AtomicBoolean();

    public FoundUserWarmUp(UserSearch search, ObjectMapper mapper,
            @ConfigProperty(name = "scim.found-user-warm-up.lookups") int lookups,
            @ConfigProperty(name = "scim.found-user-warm-up.pause") Duration pause) {
        this.search = search;
        this.mapper = mapper;
        this.lookups = lookups;
        this.pause = pause;
    }

    /** A user was created; the first time, its lookups start in the background. Returns at once. */
    void created(String connectionId, String userName) {
        // Called on every create: a plain read first, so the hot path never writes the flag's cache line.
        if (lookups < 1 || started.get() || !started.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> lookUp(connectionId, userName), "found-user-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private void lookUp(String connectionId, String userName) {
        MDC.clear();
        String filter = new Filter.Compare(AttributePath.of("userName"), Operator.EQ, userName).toString();
        SearchRequest request = new SearchRequest(filter, null, null, null, null, Projection.all(), null);
        try {
            for (int i = 0; i < lookups; i++) {
                // Both ways a found user's groups are asked (UserSearch.lookUp), without steering the IdP's lookups.
                UserSearch.LookupGuess guess = i % 2 == 0 ? UserSearch.LookupGuess.AFTER : UserSearch.LookupGuess.BESIDE;
                Object page = search.search(connectionId, request, ENDPOINTS, guess).await().atMost(EACH_AT_MOST)
                        .getEntity();
                mapper.writeValueAsBytes(page);
                Thread.sleep(pause.toMillis());
            }
            LOG.debugf("%d found-user lookups made after the first create", lookups);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | java.io.IOException e) {
            LOG.infof("the found-user lookups after the first create stopped (%s); the IdP's first reads of existing "
                    + "users will be slower", e.toString());
        }
    }
}
