package dev.scimsync.contracts.internal;

/**
 * The error answer of every internal and admin API: {@code {"status": 404, "detail": "..."}}, the detail in words
 * an admin can act on. The gateway passes admin API problems on as they are and quotes the detail of others.
 */
public record Problem(int status, String detail) {
}
