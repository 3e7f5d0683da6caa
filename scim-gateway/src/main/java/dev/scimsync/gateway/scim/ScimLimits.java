package dev.scimsync.gateway.scim;

import io.smallrye.config.ConfigMapping;

/**
 * How much the gateway accepts in one SCIM request ({@code scim.limits.*} in application.properties, where each
 * value is justified). An attribute over its limit is {@code 400 invalidValue} naming the attribute and the
 * limit; a request whose command would be over a command budget is {@code 413}. The budgets keep every command
 * the gateway accepts below what Kafka accepts, so a bad request is never answered 503 and retried for hours.
 * Lengths count characters (Unicode code points).
 */
@ConfigMapping(prefix = "scim.limits")
public interface ScimLimits {

    /** Bytes of a request body; a larger one is {@code 413}. Advertised as {@code bulk.maxPayloadSize}. */
    int bodyBytes();

    /** {@code Operations} of one Bulk request; more is {@code 413}. Advertised as {@code bulk.maxOperations}. */
    int bulkOperations();

    int userNameLength();

    /** {@code emails[].value}. */
    int emailLength();

    /** The User's and the Group's {@code externalId}. */
    int externalIdLength();

    /** References ({@code profileUrl}, {@code photos[].value}, {@code manager.$ref}). */
    int referenceLength();

    /** {@code x509Certificates[].value} (base64 DER). */
    int certificateLength();

    /** Every other string value: names, {@code displayName}, addresses, extension attributes, a Group's name. */
    int stringLength();

    /** Entries of one multi-valued attribute (emails, phoneNumbers, addresses, ...). */
    int multiValuedEntries();

    /** {@code Operations} of one PATCH request. */
    int patchOperations();

    /** Member ids named by one Group request (all its operations together). */
    int membersPerRequest();

    /** One member id ({@code members[].value}). */
    int memberIdLength();

    /** Nesting of arrays and objects in a request body. */
    int jsonDepth();

    /** JSON tokens in a request body (bounds the memory its parsed tree takes). */
    int jsonTokens();

    /** Bytes of a user command as sent to Kafka. */
    int userCommandBytes();

    /** Bytes of a group command as sent to Kafka, before compression. */
    int groupCommandBytes();

    /** The value, unless it is longer than {@code max} characters: then {@code 400 invalidValue} naming it. */
    /** A value or a request over one of these limits: 400 invalidValue, naming the limit. */
    final class Exceeded extends ScimException {
        Exceeded(String detail) {
            super(400, "invalidValue", detail);
        }
    }

    static String requireLength(String path, String value, int max) {
        // length() is never less than the number of code points: only a long value is counted.
        if (value.length() > max && value.codePointCount(0, value.length()) > max) {
            throw new Exceeded("'" + path + "' is " + value.codePointCount(0, value.length())
                    + " characters long; at most " + max + " are accepted");
        }
        return value;
    }

    /** The {@code 413} for a request body of {@code bytes}, over {@link #bodyBytes()}. */
    static ScimException bodyTooLarge(long bytes, int max) {
        return ScimException.tooLarge("the request body is " + bytes + " bytes; at most " + max + " are accepted");
    }

    /** {@code 400 invalidValue} when a multi-valued attribute (or list) has more than {@code max} entries. */
    static void requireEntries(String path, int entries, int max) {
        if (entries > max) {
            throw new Exceeded("'" + path + "' has " + entries + " values; at most " + max
                    + " are accepted");
        }
    }
}
