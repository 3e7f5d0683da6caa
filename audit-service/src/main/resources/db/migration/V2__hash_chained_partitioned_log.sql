-- The audit log proper: append-only, partitioned by month (retention drops whole partitions), each
-- record chained to the previous record of its connection by a SHA-256 hash.
-- The first table (before the chain existed) is kept under another name, not dropped.
alter table audit_record rename to audit_record_v1;

create table audit_log (
    id             uuid not null,
    connection_id  text not null,
    seq            bigint not null,
    kind           text not null check (kind in ('command', 'outcome', 'event')),
    message_id     text not null,
    command_id     uuid,
    action         text not null,
    outcome        text,
    organization   text,
    user_ref       text,
    token_id       text,
    request_id     text,
    client_address text,
    user_agent     text,
    payload        jsonb not null,
    recorded_at    timestamptz not null,
    prev_hash      text not null,
    hash           text not null,
    primary key (id, recorded_at)
) partition by range (recorded_at);

create index audit_log_newest on audit_log (recorded_at desc, id desc);
create index audit_log_connection on audit_log (connection_id, recorded_at desc);
create index audit_log_chain on audit_log (connection_id, seq);

-- A row that falls outside every monthly partition still lands somewhere.
create table audit_log_default partition of audit_log default;

-- Each message is recorded once (Kafka redelivers after a crash); kept apart because a unique index on a
-- partitioned table must include the partition key.
create table audit_message (
    message_id  text primary key,
    recorded_at timestamptz not null
);

-- The head of each connection's chain; its row lock serializes appends to one chain.
create table audit_chain (
    connection_id text primary key,
    last_seq      bigint not null,
    last_hash     text not null
);

-- What retention removed, and when.
create table audit_retention (
    partition_name text not null,
    range_end      timestamptz not null,
    dropped_at     timestamptz not null default now()
);

-- Rows are only ever inserted: no UPDATE or DELETE, whoever asks (retention drops whole partitions).
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % is not allowed', tg_op;
end;
$$;

create trigger audit_log_no_update_or_delete
    before update or delete on audit_log
    for each row execute function audit_log_append_only();
