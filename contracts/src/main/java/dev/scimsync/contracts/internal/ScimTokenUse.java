package dev.scimsync.contracts.internal;

import java.util.List;

/**
 * The ids of the SCIM tokens one gateway accepted since its previous report, sent at most once a minute
 * ({@code POST /internal/v1/scim-tokens/used} on membership-service, 204), which keeps each token's last use.
 */
public record ScimTokenUse(List<String> tokenIds) {
}
