package dev.scimsync.gateway.scim.filter;

import dev.scimsync.gateway.scim.ScimException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Recursive-descent parser for RFC 7644 section 3.4.2.2 filters. Precedence: {@code not} and grouping,
 * then {@code and}, then {@code or}; attribute names and operators are case-insensitive. Real IdPs' habits
 * are tolerated: Entra ID sends unquoted string values ({@code externalId eq jyoung}) and a comparison of a
 * value filter's sub-attribute ({@code emails[type eq "work"].value eq "ada@x.test"}, outside RFC 7644's grammar;
 * read as {@code emails[type eq "work" and value eq "ada@x.test"]}). Everything else that is not a filter is a
 * {@code 400 invalidFilter} naming the position, and so is a filter of more than {@value #MAX_TERMS} comparisons:
 * a chain of {@code and}s is a tree as deep as it is long, which the owning services would have to read whole.
 */
final class FilterParser {

    private static final int MAX_DEPTH = 32;
    private static final int MAX_TERMS = 100;
    private static final int MAX_LENGTH = 8192;
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("\\$ref|[A-Za-z][A-Za-z0-9_-]*");

    private record Token(Kind kind, String text, int position) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }
    }

    private enum Kind { WORD, STRING, OPEN_PAREN, CLOSE_PAREN, OPEN_BRACKET, CLOSE_BRACKET, END }

    private final String text;
    private final List<Token> tokens;
    private int next;
    private int depth;
    private int terms;

    FilterParser(String text) {
        if (text == null || text.isBlank()) {
            throw ScimException.invalidFilter("the filter is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw ScimException.invalidFilter("the filter is longer than " + MAX_LENGTH + " characters");
        }
        this.text = text;
        this.tokens = tokenize(text);
        // Sent raw (%00) or escaped in a string: PostgreSQL holds no text with it, so no value can match it, and a
        // query carrying it would fail in membership-service rather than find nothing.
        if (text.indexOf('\0') >= 0 || tokens.stream().anyMatch(token -> token.text().indexOf('\0') >= 0)) {
            throw ScimException.invalidFilter("the filter holds the character U+0000, which no value can hold");
        }
    }

    Filter parse() {
        Filter filter = or(false);
        Token end = peek();
        if (end.kind() != Kind.END) {
            throw error(end, "unexpected '" + end.text() + "'");
        }
        return filter;
    }

    private Filter or(boolean inValuePath) {
        Filter left = and(inValuePath);
        while (peek().isWord("or")) {
            next++;
            left = new Filter.Or(left, and(inValuePath));
        }
        return left;
    }

    private Filter and(boolean inValuePath) {
        Filter left = unary(inValuePath);
        while (peek().isWord("and")) {
            next++;
            left = new Filter.And(left, unary(inValuePath));
        }
        return left;
    }

    private Filter unary(boolean inValuePath) {
        Token token = peek();
        if (token.isWord("not") && lookahead(1).kind() == Kind.OPEN_PAREN) {
            next++;
            return new Filter.Not(group(inValuePath));
        }
        if (token.kind() == Kind.OPEN_PAREN) {
            return group(inValuePath);
        }
        return attributeExpression(inValuePath);
    }

    private Filter group(boolean inValuePath) {
        expect(Kind.OPEN_PAREN, "'('");
        enter();
        Filter inner = or(inValuePath);
        expect(Kind.CLOSE_PAREN, "')'");
        depth--;
        return inner;
    }

    private Filter attributeExpression(boolean inValuePath) {
        Token pathToken = take();
        if (pathToken.kind() != Kind.WORD) {
            throw error(pathToken, "expected an attribute name, found " + describe(pathToken));
        }
        AttributePath path = attributePath(pathToken);
        Token after = peek();
        if (after.kind() == Kind.OPEN_BRACKET) {
            if (inValuePath) {
                throw error(after, "a value filter cannot contain another value filter");
            }
            if (path.subAttribute() != null) {
                throw error(after, "a value filter applies to an attribute, not to '" + path + "'");
            }
            next++;
            enter();
            Filter inner = or(true);
            expect(Kind.CLOSE_BRACKET, "']'");
            depth--;
            Token subAttribute = peek();
            if (subAttribute.kind() == Kind.WORD && subAttribute.text().startsWith(".")) {
                next++;
                String name = subAttribute.text().substring(1);
                if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                    throw error(subAttribute, "'" + subAttribute.text() + "' is not a sub-attribute");
                }
                return new Filter.ValuePath(path, new Filter.And(inner,
                        comparison(new AttributePath(null, name, null))));
            }
            return new Filter.ValuePath(path, inner);
        }
        return comparison(path);
    }

    /** {@code op value} or {@code pr} after an attribute path. */
    private Filter comparison(AttributePath path) {
        if (++terms > MAX_TERMS) {
            throw ScimException.invalidFilter("the filter has more than " + MAX_TERMS
                    + " comparisons: send it as several requests");
        }
        Token operatorToken = take();
        if (operatorToken.isWord("pr")) {
            return new Filter.Present(path);
        }
        Operator operator = operatorToken.kind() == Kind.WORD ? Operator.fromToken(operatorToken.text()).orElse(null) : null;
        if (operator == null) {
            throw error(operatorToken, "expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after '"
                    + path + "', found " + describe(operatorToken));
        }
        return new Filter.Compare(path, operator, value(take()));
    }

    private Object value(Token token) {
        if (token.kind() == Kind.STRING) {
            return token.text();
        }
        if (token.kind() != Kind.WORD) {
            throw error(token, "expected a value, found " + describe(token));
        }
        String word = token.text();
        if (word.equals("true") || word.equals("false")) {
            return Boolean.valueOf(word);
        }
        if (word.equals("null")) {
            return null;
        }
        if (NUMBER.matcher(word).matches()) {
            return new BigDecimal(word);
        }
        if (word.equalsIgnoreCase("and") || word.equalsIgnoreCase("or")) {
            throw error(token, "expected a value, found '" + word + "'");
        }
        // Entra ID sends unquoted strings: read them as the string they obviously are.
        return word;
    }

    private AttributePath attributePath(Token token) {
        String word = token.text();
        String schema = null;
        String rest = word;
        if (word.regionMatches(true, 0, "urn:", 0, 4)) {
            int colon = word.lastIndexOf(':');
            schema = word.substring(0, colon);
            rest = word.substring(colon + 1);
        }
        String[] parts = rest.split("\\.", -1);
        if (parts.length > 2 || !ATTRIBUTE_NAME.matcher(parts[0]).matches()
                || (parts.length == 2 && !ATTRIBUTE_NAME.matcher(parts[1]).matches())) {
            throw error(token, "'" + word + "' is not an attribute path");
        }
        return new AttributePath(schema, parts[0], parts.length == 2 ? parts[1] : null);
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw ScimException.invalidFilter("the filter nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expect(Kind kind, String what) {
        Token token = take();
        if (token.kind() != kind) {
            throw error(token, "expected " + what + ", found " + describe(token));
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token lookahead(int offset) {
        return tokens.get(Math.min(next + offset, tokens.size() - 1));
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private static String describe(Token token) {
        return token.kind() == Kind.END ? "the end of the filter" : "'" + token.text() + "'";
    }

    private ScimException error(Token token, String message) {
        return ScimException.invalidFilter("invalid filter at position " + (token.position() + 1) + ": " + message
                + " (in: " + text + ")");
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == '[' || c == ']') {
                Kind kind = switch (c) {
                    case '(' -> Kind.OPEN_PAREN;
                    case ')' -> Kind.CLOSE_PAREN;
                    case '[' -> Kind.OPEN_BRACKET;
                    default -> Kind.CLOSE_BRACKET;
                };
                tokens.add(new Token(kind, String.valueOf(c), i));
                i++;
            } else if (c == '"') {
                int start = i;
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw ScimException.invalidFilter("invalid filter at position " + (start + 1)
                                + ": the string is not closed (in: " + text + ")");
                    }
                    char d = text.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < text.length()) {
                        char escaped = text.charAt(i + 1);
                        switch (escaped) {
                            case 'n' -> value.append('\n');
                            case 't' -> value.append('\t');
                            case 'r' -> value.append('\r');
                            case 'b' -> value.append('\b');
                            case 'f' -> value.append('\f');
                            case 'u' -> {
                                if (i + 6 > text.length()) {
                                    throw ScimException.invalidFilter("invalid filter at position " + (i + 1)
                                            + ": incomplete \\u escape (in: " + text + ")");
                                }
                                try {
                                    value.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                                } catch (NumberFormatException e) {
                                    throw ScimException.invalidFilter("invalid filter at position " + (i + 1)
                                            + ": bad \\u escape (in: " + text + ")");
                                }
                                i += 4;
                            }
                            default -> value.append(escaped);
                        }
                        i += 2;
                    } else {
                        value.append(d);
                        i++;
                    }
                }
                tokens.add(new Token(Kind.STRING, value.toString(), start));
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "()[]\"".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, text.substring(start, i), start));
            }
        }
        tokens.add(new Token(Kind.END, "", text.length()));
        return tokens;
    }
}
