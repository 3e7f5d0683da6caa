-- Chain values become HMAC-SHA256 with a key kept outside this database (audit.chain.keys), named per record so
-- keys can be rotated. Records written before have no key id: their plain SHA-256 values stay as they are.
alter table audit_log add column key_id text;
alter table audit_chain add column last_key_id text;

-- Per connection, the last record retention dropped: verify starts there instead of at seq 0, so a dropped
-- partition does not read as a chain with its beginning cut off. Written in the transaction that drops it.
create table audit_checkpoint (
    connection_id  text primary key,
    last_seq       bigint not null,
    last_hash      text not null,
    last_key_id    text,
    partition_name text not null,
    dropped_at     timestamptz not null default now()
);
