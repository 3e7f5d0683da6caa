package dev.scimsync.gateway.auth;

import dev.scimsync.contracts.ScimCredential;
import dev.scimsync.contracts.ScimTokens;
import dev.scimsync.contracts.internal.ScimTokenVerification;
import dev.scimsync.contracts.internal.VerifiedScimToken;
import dev.scimsync.gateway.membership.MembershipClient;
import dev.scimsync.gateway.scim.ScimException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Verifies a SCIM bearer token: which connection it belongs to and whether SCIM is on there. Answered from
 * {@link ScimCredentialCache} - no call on the request path - for every token id the topic has told this
 * instance about, live or revoked (a wrong secret for a known id is refused here too).
 *
 * <p>Only a token id the topic has not mentioned (issued a moment ago, its record not read yet) is asked of
 * membership-service, so a new token works at once; its answer then serves the token's next requests until
 * the record arrives. Unknown ids cannot be trusted from the cache alone for that reason, so the fallback is
 * bounded instead: an id membership-service did not know is answered 401 from {@link UnknownTokenIds} for a
 * few seconds (an IdP retrying with a wrong token), and all fallbacks of this instance share a token bucket
 * ({@code scim.token-fallback.*}) - random ids sprayed by an attacker become at most that many calls per
 * second, the rest answered 503 with Retry-After. Fallbacks are counted in
 * {@code scim_token_verifications_total{source="membership"}}, answers from memory in {@code source="cache"}.
 */
@ApplicationScoped
public class TokenVerifier {

    /** A token check is a few milliseconds; one that takes seconds means membership-service is in trouble. */
    private static final Duration FALLBACK_TIMEOUT = Duration.ofSeconds(3);
    private static final String FALLBACKS = "membership";

    private final ScimCredentialCache cache;
    private final MembershipClient membership;
    private final UnknownTokenIds unknown;
    private final ConnectionRateLimiter fallbackBudget;
    private final Counter fromCache;
    private final Counter fromMembership;

    public TokenVerifier(ScimCredentialCache cache, @RestClient MembershipClient membership, MeterRegistry meters,
            @ConfigProperty(name = "scim.token-fallback.rate") double fallbackRate,
            @ConfigProperty(name = "scim.token-fallback.burst") int fallbackBurst,
            @ConfigProperty(name = "scim.token-fallback.unknown-ttl") Duration unknownTtl) {
        this.cache = cache;
        this.membership = membership;
        this.unknown = new UnknownTokenIds(unknownTtl, System::nanoTime);
        this.fallbackBudget = new ConnectionRateLimiter(fallbackRate, fallbackBurst, System::nanoTime);
        this.fromCache = verifications(meters, "cache");
        this.fromMembership = verifications(meters, "membership");
    }

    private static Counter verifications(MeterRegistry meters, String source) {
        return Counter.builder("scim.token.verifications")
                .description("SCIM bearer tokens verified, from the gateway's memory or by asking membership-service")
                .tag("source", source).register(meters);
    }

    /** The verified token, or a failure with the {@link ScimException} to answer (401, or 503 to retry). */
    public Uni<VerifiedScimToken> verify(String bearer) {
        var presented = ScimTokens.parse(bearer);
        if (presented.isEmpty()) {
            return refused();
        }
        String tokenId = presented.get().id();
        var known = cache.find(tokenId);
        if (known.isPresent() || unknown.contains(tokenId)) {
            fromCache.increment();
            return known.filter(credential -> credential.accepts(presented.get().secret()))
                    .map(credential -> Uni.createFrom().item(new VerifiedScimToken(tokenId,
                            credential.connectionId(), credential.connectionName(), credential.scimEnabled())))
                    .orElseGet(TokenVerifier::refused);
        }
        if (fallbackBudget.acquire(FALLBACKS).isPresent()) {
            return Uni.createFrom().failure(ScimException.unavailable(
                    "the token could not be checked right now: too many unknown tokens; retry shortly", 1));
        }
        fromMembership.increment();
        return Uni.createFrom().deferred(() -> membership.verifyToken(new ScimTokenVerification(bearer)))
                .ifNoItem().after(FALLBACK_TIMEOUT).fail()
                .onFailure().transform(failure -> ScimException.unavailable(
                        "the token could not be checked right now: membership-service did not answer in time", 5))
                .chain(answer -> {
                    if (answer.getStatus() == 401) {
                        unknown.remember(tokenId);
                        return refused();
                    }
                    if (answer.getStatus() != 200) {
                        return Uni.createFrom().failure(ScimException.unavailable("the token could not be checked "
                                + "right now (membership-service answered " + answer.getStatus() + ")", 5));
                    }
                    var verified = answer.readEntity(VerifiedScimToken.class);
                    cache.learned(ScimCredential.verified(tokenId, verified.connectionId(), verified.connectionName(),
                            presented.get().secret(), verified.scimEnabled()));
                    return Uni.createFrom().item(verified);
                });
    }

    private static <T> Uni<T> refused() {
        return Uni.createFrom().failure(ScimException.unauthorized("the bearer token is not valid (unknown or revoked)"));
    }
}
