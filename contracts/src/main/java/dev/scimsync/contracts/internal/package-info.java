/**
 * Request and answer bodies of the services' internal HTTP APIs ({@code /internal/v1/...}, called with a service
 * token). The server and its callers both use these records, so a renamed field breaks the build, not the wire.
 * Each record names the endpoint it belongs to. Bodies that are also Kafka contracts ({@code UserSnapshot},
 * {@code CommandOutcome}, {@code query.UserPage}, ...) and {@code TroubleshootingReport} and
 * {@code ScopedAdminTokens.Check} live in the parent package.
 */
package dev.scimsync.contracts.internal;
