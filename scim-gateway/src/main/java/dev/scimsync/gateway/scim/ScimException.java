package dev.scimsync.gateway.scim;

import java.util.OptionalInt;

/**
 * An error answered with the SCIM error schema (RFC 7644 section 3.12). Factories are named after the
 * {@code scimType} they carry, or the status when the RFC defines none.
 */
public class ScimException extends RuntimeException {

    private static final int QUOTED_LENGTH = 100;

    private final int status;
    private final String scimType;
    private final OptionalInt retryAfterSeconds;

    public ScimException(int status, String scimType, String detail) {
        this(status, scimType, detail, OptionalInt.empty());
    }

    private ScimException(int status, String scimType, String detail, OptionalInt retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.scimType = scimType;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ScimException invalidSyntax(String detail) {
        return new ScimException(400, "invalidSyntax", detail);
    }

    public static ScimException invalidFilter(String detail) {
        return new ScimException(400, "invalidFilter", detail);
    }

    public static ScimException invalidPath(String detail) {
        return new ScimException(400, "invalidPath", detail);
    }

    public static ScimException noTarget(String detail) {
        return new ScimException(400, "noTarget", detail);
    }

    public static ScimException mutability(String detail) {
        return new ScimException(400, "mutability", detail);
    }

    public static ScimException preconditionFailed(String detail) {
        return new ScimException(412, null, detail);
    }

    public static ScimException tooLarge(String detail) {
        return new ScimException(413, null, detail);
    }

    public static ScimException invalidValue(String detail) {
        return new ScimException(400, "invalidValue", detail);
    }

    /** RFC 9865 section 2.1: a cursor this server did not issue for this query. */
    public static ScimException invalidCursor(String detail) {
        return new ScimException(400, "invalidCursor", detail);
    }

    /** RFC 9865 section 2.1: a cursor older than the advertised {@code cursorTimeout}. */
    public static ScimException expiredCursor(String detail) {
        return new ScimException(400, "expiredCursor", detail);
    }

    public static ScimException uniqueness(String detail) {
        return new ScimException(409, "uniqueness", detail);
    }

    public static ScimException unauthorized(String detail) {
        return new ScimException(401, null, detail);
    }

    public static ScimException forbidden(String detail) {
        return new ScimException(403, null, detail);
    }

    public static ScimException notImplemented(String detail) {
        return new ScimException(501, null, detail);
    }

    public static ScimException notFound(String detail) {
        return new ScimException(404, null, detail);
    }

    /** RFC 6585's 429: the connection sent more than its share; retry after the given seconds. */
    public static ScimException tooManyRequests(String detail, int retryAfterSeconds) {
        return new ScimException(429, null, detail, OptionalInt.of(retryAfterSeconds));
    }

    /** RFC 7644 section 3.4.2.2: a filter that costs more than the server is willing to process. */
    public static ScimException tooMany(String detail) {
        return new ScimException(400, "tooMany", detail);
    }

    /** A passing outage (an outcome not seen in time, an owner away); retry after the given delay. */
    public static ScimException unavailable(String detail, int retryAfterSeconds) {
        return new ScimException(503, null, detail, OptionalInt.of(retryAfterSeconds));
    }

    /**
     * A value the client sent, as an error detail quotes it: whole when short, otherwise its first
     * {@value #QUOTED_LENGTH} characters and its length, so a huge value is not sent back.
     */
    public static String quote(Object value) {
        String text = String.valueOf(value);
        return text.length() <= QUOTED_LENGTH ? text
                : text.substring(0, QUOTED_LENGTH) + "... (" + text.length() + " characters)";
    }

    public int status() {
        return status;
    }

    public String scimType() {
        return scimType;
    }

    public String detail() {
        return getMessage();
    }

    public OptionalInt retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
