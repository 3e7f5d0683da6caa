package dev.scimsync.gateway.console.view;

/** An explicit mapping just saved: which group now fills which team. */
public record GroupMapping(String displayName, String organization, String team) {
}
