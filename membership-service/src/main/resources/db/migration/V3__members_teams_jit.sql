-- Who manages an account: SCIM may change only what it provisioned (or adopted from JIT).
alter table account add column source text not null default 'scim' check (source in ('scim', 'jit', 'manual', 'invite'));
alter table account alter column source drop default;
-- Accounts added by hand belong to no connection.
alter table account alter column connection_id drop not null;
create unique index account_manual_email on account (lower(user_name)) where connection_id is null;

-- After a JIT-to-SCIM migration, a SCIM create adopts the JIT account with the same userName.
alter table connection add column adopt_jit boolean not null default false;

create table team (
    id              uuid primary key,
    organization_id uuid not null references organization (id),
    name            text not null,
    created_at      timestamptz not null default now(),
    unique (organization_id, name)
);

create table team_member (
    team_id    uuid not null references team (id) on delete cascade,
    account_id uuid not null references account (id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (team_id, account_id)
);

-- Failed provisioning operations, with what to do about them, for the connection's troubleshooting view.
create table provisioning_error (
    id            uuid primary key,
    connection_id uuid not null references connection (id) on delete cascade,
    command_id    uuid not null,
    request_id    text,
    operation     text not null,
    user_name     text,
    reason        text not null,
    detail        text not null,
    suggested_fix text not null,
    occurred_at   timestamptz not null default now()
);

create index provisioning_error_recent on provisioning_error (connection_id, occurred_at desc);
