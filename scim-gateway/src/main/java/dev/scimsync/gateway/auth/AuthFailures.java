package dev.scimsync.gateway.auth;

import dev.scimsync.contracts.ScopedAdminTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Failed authentications (SCIM bearer tokens, admin API bearer tokens, console sign-ins), counted per client
 * address, per SCIM token id and per scoped admin token id ({@code scim.auth-failures.*}): {@code max-failures} within {@code window}
 * block the key for {@code block}, and while it is blocked the gateway answers 429 with Retry-After.
 *
 * <p><b>A blocked address is refused whatever it presents, a valid token included</b>, and before its token is
 * checked: a block that let the right token through would keep answering a guesser at full speed and tell it
 * the moment a guess is right (the operator's admin token is chosen by a person and may be guessable), and a
 * refusal that checks nothing costs the gateway nothing under a flood. A blocked <b>token id</b> is different:
 * the id is the public half of {@code scim_<id>_<secret>} (it is in logs, audit records and the console) and
 * the 256-bit secret cannot be guessed, so refusing the right secret would only let anyone who has seen an id
 * lock a tenant's IdP out with ten bad requests a minute. Presentations of a blocked id that do not verify are
 * answered 429 instead of 401; the right secret still passes.
 *
 * <p>A success resets nothing: otherwise a caller holding one valid credential could interleave it with guesses
 * and never be blocked. Counts only age out with their window.
 *
 * <p>The client address is the connection's peer, or the address a trusted proxy forwarded when the gateway is
 * configured to trust one ({@code quarkus.http.proxy.*}: Vert.x then reports the forwarded address as the
 * request's remote address); an X-Forwarded-For from anyone else is ignored, so it cannot be used to dodge a
 * block. IPv6 addresses are counted per /64, the block one host is usually given. Memory is bounded by
 * {@code max-tracked} keys: when full, lapsed keys are swept (at most once a second) and, if it is still full,
 * new keys are not tracked until room is made - existing blocks are never evicted to make room, so an attacker
 * cannot unblock itself by spraying other addresses. Each gateway replica counts on its own.
 */
@ApplicationScoped
public class AuthFailures {

    private static final Logger LOG = Logger.getLogger(AuthFailures.class);
    private static final long SWEEP_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final boolean enabled;
    private final int maxFailures;
    private final long windowNanos;
    private final long blockNanos;
    private final int maxTracked;
    private final LongSupplier nanoClock;
    private final Counter blocks;
    private final Counter untracked;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    @Inject
    public AuthFailures(@ConfigProperty(name = "scim.auth-failures.enabled") boolean enabled,
            @ConfigProperty(name = "scim.auth-failures.max-failures") int maxFailures,
            @ConfigProperty(name = "scim.auth-failures.window") Duration window,
            @ConfigProperty(name = "scim.auth-failures.block") Duration block,
            @ConfigProperty(name = "scim.auth-failures.max-tracked") int maxTracked, MeterRegistry meters) {
        this(enabled, maxFailures, window, block, maxTracked, meters, System::nanoTime);
    }

    AuthFailures(boolean enabled, int maxFailures, Duration window, Duration block, int maxTracked,
            MeterRegistry meters, LongSupplier nanoClock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || block.isNegative() || block.isZero()
                || maxTracked < 1) {
            throw new IllegalArgumentException("scim.auth-failures: max-failures, window, block and max-tracked "
                    + "must be positive");
        }
        this.enabled = enabled;
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.blockNanos = block.toNanos();
        this.maxTracked = maxTracked;
        this.nanoClock = nanoClock;
        this.blocks = Counter.builder("scim.auth.failure.blocks")
                .description("Client addresses and SCIM token ids blocked after repeated failed authentications")
                .register(meters);
        this.untracked = Counter.builder("scim.auth.failures.untracked")
                .description("Failed authentications not counted because scim.auth-failures.max-tracked keys "
                        + "were already tracked")
                .register(meters);
        this.lastSweep = nanoClock.getAsLong();
    }

    /** The key a client address is counted under: the address, or its /64 for IPv6. */
    public static String addressKey(HttpServerRequest request) {
        return addressKey(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
    }

    static String addressKey(String address) {
        if (address == null) {
            return "address:unknown";
        }
        if (address.indexOf(':') >= 0) {
            try {
                InetAddress parsed = InetAddress.getByName(address);
                if (parsed instanceof Inet6Address) {
                    byte[] bytes = parsed.getAddress();
                    return "address:" + java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
                }
            } catch (UnknownHostException e) {
                // A literal Vert.x reported cannot fail to parse; counted as written if it does.
            }
        }
        return "address:" + address;
    }

    public static String tokenKey(String tokenId) {
        return "token:" + tokenId;
    }

    /** The key a scoped admin token's id is counted under (apart from SCIM token ids: another kind of token). */
    public static String adminTokenKey(String tokenId) {
        return "admin-token:" + tokenId;
    }

    /** Empty when the key may try; else the whole seconds until its block ends. */
    public OptionalInt blocked(String key) {
        if (!enabled) {
            return OptionalInt.empty();
        }
        Tally tally = tallies.get(key);
        return tally == null ? OptionalInt.empty() : tally.blockedFor(nanoClock.getAsLong());
    }

    /** Counts one failure against each key. */
    public void failed(String... keys) {
        if (!enabled) {
            return;
        }
        long now = nanoClock.getAsLong();
        for (String key : keys) {
            Tally tally = tallies.get(key);
            if (tally == null) {
                if (tallies.size() >= maxTracked) {
                    sweep(now);
                }
                if (tallies.size() >= maxTracked) {
                    untracked.increment();
                    continue;
                }
                tally = tallies.computeIfAbsent(key, k -> new Tally(now));
            }
            if (tally.fail(now)) {
                blocks.increment();
                LOG.warnf("authentication: %s blocked for %d s after %d failures", key, blockNanos / 1_000_000_000L,
                        maxFailures);
            }
        }
    }

    /**
     * Counts an admin token that did not verify (admin API or console sign-in): against the address and, for a
     * scoped admin token, against its id. While that id is blocked nothing is counted and the seconds left are
     * answered: the caller refuses with 429 instead of 401.
     */
    public OptionalInt adminTokenFailed(String addressKey, String presented) {
        var scoped = ScopedAdminTokens.parse(presented);
        if (scoped.isEmpty()) {
            failed(addressKey);
            return OptionalInt.empty();
        }
        String idKey = adminTokenKey(scoped.get().id());
        OptionalInt idBlock = blocked(idKey);
        if (idBlock.isEmpty()) {
            failed(idKey, addressKey);
        }
        return idBlock;
    }

    int tracked() {
        return tallies.size();
    }

    /** Drops the keys whose window has passed and that are not blocked; at most once a second. */
    private void sweep(long now) {
        if (now - lastSweep < SWEEP_INTERVAL_NANOS) {
            return;
        }
        lastSweep = now;
        tallies.entrySet().removeIf(entry -> entry.getValue().lapsed(now));
    }

    /** One key's failures in its current window, and the end of its block (if any). */
    private final class Tally {
        private long windowStart;
        private int failures;
        private long blockedUntil;
        private boolean blocked;

        Tally(long now) {
            this.windowStart = now;
        }

        /** Counts a failure; true when it starts a block. */
        synchronized boolean fail(long now) {
            if (blocked && now - blockedUntil < 0) {
                return false;
            }
            if (blocked || now - windowStart >= windowNanos) {
                blocked = false;
                windowStart = now;
                failures = 0;
            }
            failures++;
            if (failures < maxFailures) {
                return false;
            }
            blocked = true;
            blockedUntil = now + blockNanos;
            return true;
        }

        synchronized OptionalInt blockedFor(long now) {
            long left = blockedUntil - now;
            if (!blocked || left <= 0) {
                return OptionalInt.empty();
            }
            return OptionalInt.of((int) Math.max(1, (left + 999_999_999L) / 1_000_000_000L));
        }

        synchronized boolean lapsed(long now) {
            return blocked ? now - blockedUntil >= 0 : now - windowStart >= windowNanos;
        }
    }
}
