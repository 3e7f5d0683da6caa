package dev.scimsync.runtime;

import java.util.Locale;

/**
 * Names compared without case the way PostgreSQL's {@code lower()} compares them in a UTF-8 database with a libc
 * locale: each code point lowered on its own. {@link String#toLowerCase} applies rules of context that
 * {@code lower()} does not - a capital sigma ending a word becomes the final sigma, a capital I with a dot becomes
 * an i followed by a combining dot - so a key lowered by Java and sent to {@code lower(column) = any($1)} missed the
 * row PostgreSQL holds for the same address (found 2026-12-05: a SCIM create of {@code ΩΣ-12caa3@example.com} beside a
 * member added by hand as {@code ωσ-12caa3@example.com} made a second member of one address). Every Java-side key of a
 * userName, an email or a team name that meets a {@code lower()} in SQL is made here.
 */
public final class CaseInsensitive {

    private CaseInsensitive() {
    }

    /** {@code text} as {@code lower(text)} returns it. */
    public static String lower(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                StringBuilder lowered = new StringBuilder(text.length());
                text.codePoints().map(Character::toLowerCase).forEach(lowered::appendCodePoint);
                return lowered.toString();
            }
        }
        // ASCII: the same, and the common case.
        return text.toLowerCase(Locale.ROOT);
    }

    /** Whether PostgreSQL's {@code lower(a) = lower(b)} (unlike {@link String#equalsIgnoreCase}, which upper-cases too). */
    public static boolean equal(String a, String b) {
        return lower(a).equals(lower(b));
    }
}
