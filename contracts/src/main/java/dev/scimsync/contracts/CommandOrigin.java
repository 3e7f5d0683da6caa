package dev.scimsync.contracts;

/**
 * Who sent a command: the IdP connection's token and the HTTP request it came from.
 * Kept on every command so the audit log can answer "from which IdP request?".
 */
public record CommandOrigin(String tokenId, String requestId, String clientAddress, String userAgent) {
}
