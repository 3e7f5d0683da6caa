package dev.scimsync.runtime;

/**
 * Text a client typed, matched by SQL {@code like} as itself: its {@code %} and {@code _} are no wildcards. A
 * statement says {@link #ESCAPE} after each such {@code like}.
 */
public final class LikePatterns {

    /** The clause after {@code like <pattern>} that makes {@link #literal}'s escapes mean what they say. */
    public static final String ESCAPE = " escape '\\'";

    private LikePatterns() {
    }

    /** {@code text} as the literal part of a {@code like} pattern. */
    public static String literal(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
