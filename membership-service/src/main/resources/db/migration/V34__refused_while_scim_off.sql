-- Requests the gateways refused (403) because the connection's SCIM was switched off (TroubleshootingReport),
-- summed per method and resource and shown on the connection's troubleshooting page: a deactivation or removal
-- among them was not applied, and the person keeps their access until the IdP sends it again or an admin removes
-- them by hand - the IdP itself only records a failed task. resource_type and resource_id are '' for a request
-- that names no user or group (a list, /Schemas) and, past troubleshooting.max-refused-resources ids per
-- connection, for the rest (counted without the id). Deleted with the provisioning errors' retention, counted from
-- the last sighting (StoredDataExpiry).
create table scim_off_refusal (
    connection_id uuid not null references connection (id) on delete cascade,
    method        text not null check (method in ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'other')),
    resource_type text not null check (resource_type in ('User', 'Group', '')),
    resource_id   text not null check (length(resource_id) <= 64),
    count         bigint not null,
    first_seen    timestamptz not null,
    last_seen     timestamptz not null,
    primary key (connection_id, method, resource_type, resource_id)
);
