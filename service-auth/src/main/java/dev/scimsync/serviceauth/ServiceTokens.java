package dev.scimsync.serviceauth;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This service's credentials for another service's internal API: a token signed with this service's own key
 * ({@code smallrye.jwt.sign.key.location}, a JWK whose {@code kid} names this service), issued by and about
 * this service, for one audience, valid for a minute. A token is reused for its audience until shortly before
 * it expires, so a call costs a signature only once a minute.
 */
@ApplicationScoped
public class ServiceTokens {

    static final Duration LIFETIME = Duration.ofSeconds(60);
    /** A token is replaced this long before it expires, so it cannot expire on its way (clocks drift a little). */
    static final Duration RENEWAL_MARGIN = Duration.ofSeconds(10);

    private record Issued(String authorization, Instant renewAt) {
    }

    private final String service;
    private final Clock clock;
    private final Map<String, Issued> byAudience = new ConcurrentHashMap<>();

    @Inject
    public ServiceTokens(@ConfigProperty(name = "quarkus.application.name") String service) {
        this(service, Clock.systemUTC());
    }

    ServiceTokens(String service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    /** The {@code Authorization} header value for a call to {@code audience} (a service's name). */
    public String authorization(String audience) {
        Instant now = clock.instant();
        Issued issued = byAudience.get(audience);
        if (issued == null || !now.isBefore(issued.renewAt())) {
            issued = issue(audience, now);
            byAudience.put(audience, issued);
        }
        return issued.authorization();
    }

    private Issued issue(String audience, Instant now) {
        Instant expiresAt = now.plus(LIFETIME);
        String token = Jwt.issuer(service).subject(service).audience(audience)
                .issuedAt(now).expiresAt(expiresAt)
                .jws().algorithm(SignatureAlgorithm.ES256)
                .sign();
        return new Issued("Bearer " + token, expiresAt.minus(RENEWAL_MARGIN));
    }
}
