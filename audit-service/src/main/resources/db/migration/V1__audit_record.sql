-- Every command and outcome, once each, in the order it was recorded. Rows are only ever inserted.
create table audit_record (
    id            uuid primary key,
    kind          text not null check (kind in ('command', 'outcome')),
    command_id    uuid not null,
    connection_id text not null,
    action        text not null,
    outcome       text,
    payload       jsonb not null,
    recorded_at   timestamptz not null default now(),
    unique (kind, command_id)
);

create index audit_record_connection_time on audit_record (connection_id, recorded_at desc);
