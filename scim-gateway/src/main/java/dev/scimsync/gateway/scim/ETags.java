package dev.scimsync.gateway.scim;

import java.util.Optional;

/** Weak entity tags (RFC 7644 section 3.14): a resource's version, as {@code meta.version} and the ETag header. */
public final class ETags {

    private ETags() {
    }

    public static String of(long version) {
        return "W/\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} / {@code If-None-Match} header names: empty for {@code *} (any
     * version) or no header; a header that names no version of ours yields -1, which matches nothing.
     */
    public static Optional<Long> version(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return Optional.empty();
        }
        String tag = header.split(",")[0].trim();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        try {
            return Optional.of(Long.parseLong(tag));
        } catch (NumberFormatException e) {
            return Optional.of(-1L);
        }
    }
}
