package dev.scimsync.gateway.scim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * What every SCIM request body goes through before it is read as a resource or a message. Bodies are parsed
 * within {@link ScimLimits#jsonDepth()} and {@link ScimLimits#jsonTokens()}, by a mapper of their own: the
 * application's mapper also reads group-sync-service's answers, where a large group is legitimately more
 * tokens than any request. No string limit is set beyond Jackson's: the body size limit is lower, and an
 * over-long value is answered by the attribute's own limit, which names it.
 */
@Singleton
public class RequestBodies {

    private final ObjectMapper mapper;
    private final int maxBodyBytes;

    public RequestBodies(ScimLimits limits) {
        this.maxBodyBytes = limits.bodyBytes();
        this.mapper = new ObjectMapper(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.jsonDepth())
                        .maxTokenCount(limits.jsonTokens())
                        .build())
                .build());
    }

    /**
     * The body as JSON; anything else is {@code 400 invalidSyntax} with the line and column. A body over the size
     * limit is {@code 413}: one sent chunked, without its length, passes {@code BodySizeFilter}.
     */
    public JsonNode readJson(byte[] body) {
        if (body == null || body.length == 0) {
            throw ScimException.invalidSyntax("the request body is empty");
        }
        if (body.length > maxBodyBytes) {
            throw ScimLimits.bodyTooLarge(body.length, maxBodyBytes);
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            // "Document nesting depth (33) exceeds the maximum allowed (32, from `StreamReadConstraints...`)":
            // the limit, without the name of the Java method that holds it.
            throw ScimException.invalidSyntax("the request body is over a limit: "
                    + e.getOriginalMessage().replaceAll(", from `[^`]*`", ""));
        } catch (JsonProcessingException e) {
            // Some failures have no location.
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw ScimException.invalidSyntax("the request body is not valid JSON: " + e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw ScimException.invalidSyntax("the request body could not be read: " + e.getMessage());
        }
        Optional<String> unstorable = unstorableText(json);
        if (unstorable.isPresent()) {
            throw ScimException.invalidValue(unstorable.get());
        }
        return json;
    }

    /**
     * What in {@code json} PostgreSQL cannot hold, if anything: the character U+0000 (NUL) or half of a surrogate
     * pair (U+D800 alone: no character at all). Either would fail wherever it is stored - the user, the group, the
     * audit log - after it had been accepted (or, in a column, be stored as {@code ?}); so it is refused at the door,
     * with every other bad value, before it becomes a command (here) or an admin call ({@code AdminApiClient}).
     */
    public static Optional<String> unstorableText(JsonNode json) {
        if (json.isTextual()) {
            return unstorable(json.textValue(), "a string");
        }
        if (json.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                Optional<String> found = unstorable(field.getKey(), "an attribute name")
                        .or(() -> unstorableText(field.getValue()));
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (json.isArray()) {
            for (JsonNode element : json) {
                Optional<String> found = unstorableText(element);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unstorable(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return Optional.of(what + " in the request body holds the character U+0000, which cannot be stored");
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == text.length()
                        || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return Optional.of(what + " in the request body holds half of a surrogate pair (\\u"
                            + Integer.toHexString(c) + " alone), which is no character");
                }
                i++;
            }
        }
        return Optional.empty();
    }

    /**
     * {@code schemas} may be omitted (some IdPs do), but when present it must name the resource's core
     * schema; other URNs beside it (Entra ID adds its own to groups) are accepted.
     */
    public static void requireCoreSchema(JsonNode resource, String coreSchema) {
        JsonNode schemas = JsonFields.get(resource, "schemas");
        if (schemas == null || schemas.isNull()) {
            return;
        }
        if (!schemas.isArray()) {
            throw ScimException.invalidValue("'schemas' must be an array of schema URNs");
        }
        for (JsonNode schema : schemas) {
            if (schema.isTextual() && schema.asText().equalsIgnoreCase(coreSchema)) {
                return;
            }
        }
        throw ScimException.invalidValue("'schemas' must include " + coreSchema);
    }
}
