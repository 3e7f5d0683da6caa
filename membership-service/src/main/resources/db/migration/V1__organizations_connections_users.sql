-- Organizations, the IdP connections that provision into them, and the users SCIM manages.

create table organization (
    id         uuid primary key,
    name       text not null unique,
    seats      integer,
    created_at timestamptz not null default now()
);

create table connection (
    id                      uuid primary key,
    name                    text not null unique,
    default_organization_id uuid not null references organization (id),
    default_team            text,
    default_role            text not null default 'member' check (default_role in ('member', 'editor', 'owner')),
    scim_enabled            boolean not null default false,
    jit_enabled             boolean not null default true,
    created_at              timestamptz not null default now()
);

create table connection_organization (
    connection_id   uuid not null references connection (id) on delete cascade,
    organization_id uuid not null references organization (id),
    primary key (connection_id, organization_id)
);

-- Only a salted hash of each token's secret is kept; the id (in clear inside the token) finds the row.
create table scim_token (
    id            text primary key,
    connection_id uuid not null references connection (id) on delete cascade,
    salt          bytea not null,
    secret_hash   bytea not null,
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

-- A user account as one connection's IdP knows it.
create table account (
    id            uuid primary key,
    connection_id uuid not null references connection (id),
    user_name     text not null,
    external_id   text,
    active        boolean not null,
    attributes    jsonb not null,
    version       bigint not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

-- userName is unique per connection, case-insensitively (RFC 7643 section 4.1.1: caseExact false).
create unique index account_user_name_unique on account (connection_id, lower(user_name));

-- An account's membership of an organization.
create table member (
    account_id      uuid not null references account (id) on delete cascade,
    organization_id uuid not null references organization (id),
    role            text not null check (role in ('member', 'editor', 'owner')),
    state           text not null check (state in ('active', 'deactivated')),
    source          text not null check (source in ('scim', 'jit', 'manual', 'invite')),
    created_at      timestamptz not null,
    primary key (account_id, organization_id)
);

create index member_organization on member (organization_id);

-- Each command applied once: a redelivered command finds its first outcome here.
create table processed_command (
    command_id    uuid primary key,
    connection_id uuid not null,
    outcome       jsonb not null,
    processed_at  timestamptz not null
);
