package dev.scimsync.contracts;

/**
 * One cell of the CSV exports the admin API answers (members, audit log): RFC 4180 quoting, and values that
 * a spreadsheet would run as a formula neutralised. Names, userNames and User-Agents come from IdPs and
 * users: a cell starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return is
 * prefixed with {@code '} (OWASP's advice for CSV injection), so it opens as the text it is.
 */
public final class CsvCell {

    private CsvCell() {
    }

    /** The value as a CSV cell; empty for null. */
    public static String of(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
            default -> value;
        };
        boolean quoted = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0 || !text.equals(value);
        return quoted ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
