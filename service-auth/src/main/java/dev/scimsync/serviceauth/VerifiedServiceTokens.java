package dev.scimsync.serviceauth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service tokens verified once, not on every call. A caller reuses its token for a minute ({@link ServiceTokens}),
 * and checking an ES256 signature costs 1-2 ms of CPU on these 2-core machines with JDK 17 - more than the rest of an
 * internal user lookup. So the identity a token was given after SmallRye JWT verified it ({@link CallingService}
 * remembers it) is asked for first, by the token's exact text (the same text carries the same signature), until
 * the token expires; any other token goes on to SmallRye JWT's verification as before. A key taken out of the
 * JWKS takes effect when the service restarts (the JWKS is read once), which forgets these too.
 */
@ApplicationScoped
public class VerifiedServiceTokens implements IdentityProvider<TokenAuthenticationRequest> {

    /** Each caller replica holds one token per audience: a few dozen at most. Past this, all are forgotten. */
    static final int MOST_REMEMBERED = 1_000;
    /**
     * Asked before SmallRye JWT's validator, which keeps {@link IdentityProvider}'s default priority (1001; the
     * highest is asked first). At 100, as first written, this was asked after it: every call was verified again.
     */
    private static final int BEFORE_VERIFICATION = 2_000;

    private record Verified(SecurityIdentity identity, Instant expiresAt) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Verified> byToken = new ConcurrentHashMap<>();

    public VerifiedServiceTokens(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return BEFORE_VERIFICATION;
    }

    /** The remembered identity of a token verified before, or null: the next provider verifies it. */
    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return Uni.createFrom().item(known(request.getToken().getToken()).orElse(null));
    }

    /** The identity of {@code token} if it was verified and has not expired. */
    public Optional<SecurityIdentity> known(String token) {
        Verified verified = byToken.get(token);
        if (verified == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(verified.expiresAt())) {
            byToken.remove(token, verified);
            return Optional.empty();
        }
        return Optional.of(verified.identity());
    }

    /** Remembers a token SmallRye JWT has verified, with the identity it was given, until it expires. */
    void remember(String token, SecurityIdentity identity, Instant expiresAt) {
        if (byToken.size() >= MOST_REMEMBERED) {
            byToken.clear();
        }
        byToken.put(token, new Verified(identity, expiresAt));
    }
}
