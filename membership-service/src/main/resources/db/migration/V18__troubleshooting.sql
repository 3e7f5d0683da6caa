-- What the gateways saw of mis-configured IdPs (TroubleshootingReport), summed over every gateway instance and
-- shown on the connection's troubleshooting page. Rows whose last sighting is older than
-- retention.provisioning-errors are deleted (StoredDataExpiry), so a fixed mapping leaves the page.

-- Attributes and extension URNs an IdP sends that the resource type's schemas do not define. At most
-- troubleshooting.max-unknown-attributes names per connection.
create table unknown_attribute (
    connection_id uuid not null references connection (id) on delete cascade,
    resource_type text not null check (resource_type in ('User', 'Group')),
    name          text not null check (length(name) <= 200),
    kind          text not null check (kind in ('attribute', 'extension')),
    count         bigint not null,
    first_seen    timestamptz not null,
    last_seen     timestamptz not null,
    primary key (connection_id, resource_type, name)
);

-- Failed SCIM authentications with the id of one of the connection's tokens (a wrong secret, or a revoked token).
create table scim_authentication_failure (
    token_id      text primary key references scim_token (id) on delete cascade,
    connection_id uuid not null references connection (id) on delete cascade,
    count         bigint not null,
    first_seen    timestamptz not null,
    last_seen     timestamptz not null
);
create index scim_authentication_failure_connection on scim_authentication_failure (connection_id);

-- Failed SCIM authentications that name no connection: no token, not a SCIM token, a token id nobody issued.
create table unattributed_authentication_failure (
    reason     text primary key check (reason in ('missing', 'malformed', 'unknown-token')),
    count      bigint not null,
    first_seen timestamptz not null,
    last_seen  timestamptz not null
);
