-- The transactional outbox every publishing service shares, owned by outbox-relay: a service lists
-- `db/outbox` in quarkus.flyway.locations and names its slot and publication in `outbox.slot` and
-- `outbox.publication` (passed here as Flyway placeholders). Version 1.1 runs right after a service's first
-- migration, before any of its triggers writes an event. The service's triggers insert into outbox_event in
-- the transaction of the change they describe; outbox-relay (or Kafka Connect) captures the inserts from the
-- WAL and publishes each row to its topic as a CloudEvent.
create table outbox_event (
    id            uuid primary key,     -- ce_id: consumers deduplicate by it
    topic         text not null,        -- routed to this Kafka topic
    event_key     text not null,        -- Kafka record key: per-key order (e.g. the member id)
    event_type    text not null,        -- ce_type
    subject       text not null,        -- ce_subject
    connection_id text,                 -- ce_connectionid (null when no SCIM connection caused it)
    traceparent   text,                 -- the W3C trace context of the command (OutboxTrace.SETTING)
    payload       jsonb not null,       -- the CloudEvent's data
    created_at    timestamptz not null default clock_timestamp()
);
-- For the relay's periodic cleanup (OutboxRelayRunner.deleteOldRows).
create index outbox_event_created on outbox_event (created_at);

-- The relay's heartbeat writes a row here every few seconds. The table is in the publication, so the slot
-- sees a change of this database even when nothing else changes while other databases on the server are
-- busy - and its position moves on, instead of holding their WAL. The relay drops these rows before
-- publishing anything; the periodic cleanup deletes them.
create table outbox_heartbeat (
    id      bigserial primary key,
    beat_at timestamptz not null default now()
);

-- Inserts only: the cleanup's deletes never become events.
create publication ${outbox_publication} for table outbox_event, outbox_heartbeat with (publish = 'insert');
