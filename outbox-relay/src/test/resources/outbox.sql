-- The outbox as the services' migrations create it (see membership-service's V5 migration).
create table outbox_event (
    id            uuid primary key,
    topic         text not null,
    event_key     text not null,
    event_type    text not null,
    subject       text not null,
    connection_id text,
    traceparent   text,
    payload       jsonb not null,
    created_at    timestamptz not null default clock_timestamp()
);
create publication relay_test_outbox for table outbox_event with (publish = 'insert');
create table outbox_heartbeat (
    id      bigserial primary key,
    beat_at timestamptz not null default now()
);
alter publication relay_test_outbox add table outbox_heartbeat;
