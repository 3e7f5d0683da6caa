package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimsync.contracts.ContractJson;
import dev.scimsync.contracts.query.Keyset;
import dev.scimsync.contracts.query.ResourceQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The cursors of RFC 9865 cursor paging: where the next page starts (the default order's key of the last resource
 * shown, or the start), and when the cursor was issued, authenticated with an HMAC over that and over what the
 * cursor belongs to - the connection, the resource type and the filter of the first request. A cursor altered, made
 * up, or brought to another connection, resource type or filter is {@code invalidCursor}; one older than
 * {@link #timeout()} is {@code expiredCursor}. The client cannot read a position from it that it could not see, and
 * the owning service only ever receives a key this gateway issued, bound as SQL parameters.
 *
 * <p>Form: {@code base64url(payload) "." base64url(mac)}, only RFC 3986 unreserved characters, as the RFC requires.
 * The payload is JSON: {@code iat} (issued, epoch seconds) and, past the first page, {@code created} and {@code id}.
 */
@ApplicationScoped
public class PageCursors {

    /** Far above what this server issues (about 150 characters): anything longer is not worth decoding. */
    private static final int MAX_LENGTH = 512;
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder FROM_BASE64URL = Base64.getUrlDecoder();
    private static final String INVALID = "the cursor is not one this server issued for this query: send the "
            + "nextCursor of the previous page unchanged, with the same filter, or an empty cursor for the first page";

    private final SecretKeySpec key;
    private final Duration timeout;
    private final Clock clock;

    /**
     * The key is derived from this gateway's own service key (the JWK at {@code smallrye.jwt.sign.key.location}),
     * which every gateway instance of a deployment shares: a cursor issued by one instance is read by any other,
     * and no further secret needs to be deployed. Replacing the service key ends the cursors in flight
     * ({@code invalidCursor}; the client starts its walk again).
     */
    @Inject
    public PageCursors(@ConfigProperty(name = "smallrye.jwt.sign.key.location") String serviceKeyLocation,
            @ConfigProperty(name = "scim.cursor-timeout") Duration timeout) {
        this(derivedKey(serviceKeyLocation), timeout, Clock.systemUTC());
    }

    PageCursors(byte[] key, Duration timeout, Clock clock) {
        this.key = new SecretKeySpec(key, HMAC);
        this.timeout = timeout;
        this.clock = clock;
    }

    /** How long a cursor can be used after it was issued (advertised as {@code cursorTimeout}). */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The query of the page a cursor points to: {@code firstPage} (the query with an empty cursor) from the
     * cursor's position. An empty cursor is the first page (RFC 9865 section 2).
     */
    public ResourceQuery position(String cursor, String connectionId, String resourceType, ResourceQuery firstPage) {
        if (cursor.isEmpty()) {
            return firstPage;
        }
        JsonNode payload = verified(cursor, connectionId, resourceType, firstPage);
        Instant issued = Instant.ofEpochSecond(payload.path("iat").asLong());
        if (clock.instant().isAfter(issued.plus(timeout))) {
            throw ScimException.expiredCursor("the cursor has expired: a cursor is good for " + timeout.toSeconds()
                    + " seconds (cursorTimeout); start again with an empty cursor");
        }
        Keyset after = payload.has("id") ? keyset(payload) : null;
        return new ResourceQuery(firstPage.filter(), null, false, 1, firstPage.count(), after);
    }

    /**
     * The cursor of the page after the one {@code query} read, which ended at {@code lastShown} (null: at the
     * start, a page of none on the first page).
     */
    public String next(String connectionId, String resourceType, ResourceQuery query, Keyset lastShown) {
        ObjectNode payload = ContractJson.mapper().createObjectNode();
        payload.put("iat", clock.instant().getEpochSecond());
        if (lastShown != null) {
            payload.put("created", lastShown.created().toString());
            payload.put("id", lastShown.id().toString());
        }
        byte[] bytes = ContractJson.write(payload);
        return BASE64URL.encodeToString(bytes) + "." + BASE64URL.encodeToString(
                mac(connectionId, resourceType, query, bytes));
    }

    private JsonNode verified(String cursor, String connectionId, String resourceType, ResourceQuery query) {
        int dot = cursor.indexOf('.');
        if (cursor.length() > MAX_LENGTH || dot < 0) {
            throw ScimException.invalidCursor(INVALID);
        }
        byte[] payload;
        byte[] presented;
        try {
            payload = FROM_BASE64URL.decode(cursor.substring(0, dot));
            presented = FROM_BASE64URL.decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw ScimException.invalidCursor(INVALID);
        }
        // In constant time: how much of a forged MAC matches must not show in the answer's timing.
        if (!MessageDigest.isEqual(presented, mac(connectionId, resourceType, query, payload))) {
            throw ScimException.invalidCursor(INVALID);
        }
        try {
            JsonNode parsed = ContractJson.mapper().readTree(payload);
            if (parsed == null || !parsed.path("iat").canConvertToLong()) {
                throw ScimException.invalidCursor(INVALID);
            }
            return parsed;
        } catch (IOException e) {
            throw ScimException.invalidCursor(INVALID);
        }
    }

    private static Keyset keyset(JsonNode payload) {
        try {
            return new Keyset(Instant.parse(payload.path("created").asText()),
                    UUID.fromString(payload.path("id").asText()));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw ScimException.invalidCursor(INVALID);
        }
    }

    /** Over what the cursor belongs to, each part length-prefixed so that no two scopes share an input. */
    private byte[] mac(String connectionId, String resourceType, ResourceQuery query, byte[] payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            for (byte[] part : new byte[][] {connectionId.getBytes(StandardCharsets.UTF_8),
                    resourceType.getBytes(StandardCharsets.UTF_8), ContractJson.write(query.filter()), payload}) {
                mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    /** HMAC-SHA256 of a fixed label under the service key's private value: a key for this use only. */
    static byte[] derivedKey(String serviceKeyLocation) {
        try {
            Path file = Path.of(serviceKeyLocation.replaceFirst("^file:", ""));
            JsonNode jwk = ContractJson.mapper().readTree(Files.readString(file));
            String privateValue = jwk.path("d").asText();
            if (privateValue.isEmpty()) {
                throw new IllegalStateException(serviceKeyLocation + " holds no private key ('d')");
            }
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(FROM_BASE64URL.decode(privateValue), HMAC));
            return mac.doFinal("scim-gateway SCIM page cursors v1".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service key " + serviceKeyLocation, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }
}
