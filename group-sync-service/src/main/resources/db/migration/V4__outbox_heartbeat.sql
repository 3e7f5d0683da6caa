-- The outbox relay's heartbeat writes a row here every few seconds. The table is in the publication, so
-- the slot sees a change of this database even when no member changes while other databases on the
-- server are busy - and its position moves on, instead of holding their WAL. The relay drops these rows
-- before publishing anything; the periodic cleanup deletes them.
create table outbox_heartbeat (
    id      bigserial primary key,
    beat_at timestamptz not null default now()
);
alter publication groupsync_outbox add table outbox_heartbeat;
