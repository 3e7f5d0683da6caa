-- Dead letters replayed through the admin API (/admin/v1/dead-letters): one row per parked record, so the
-- list shows what was replayed, when and where to, and a second replay is refused unless asked for.
create table dead_letter_replay (
    topic       text        not null,
    partition   integer     not null,
    "offset"    bigint      not null,
    replayed_at timestamptz not null,
    replayed_to text        not null,
    primary key (topic, partition, "offset")
);
