-- Teams of organizations, created on first use by a mapped group; never deleted automatically.
create table team (
    id           uuid primary key,
    organization text not null,
    name         text not null,
    created_at   timestamptz not null default now()
);
create unique index team_name on team (lower(organization), lower(name));

-- SCIM groups of a connection. team_id is where the group's members currently belong (null: unmapped).
create table scim_group (
    id            uuid primary key,
    connection_id text not null,
    display_name  text not null,
    external_id   text,
    member_count  integer not null default 0,
    team_id       uuid references team (id),
    team_role     text,
    unmapped_reason text,
    version       bigint not null,
    created_at    timestamptz not null,
    last_modified timestamptz not null
);
create unique index scim_group_display_name on scim_group (connection_id, lower(display_name));
create index scim_group_team on scim_group (team_id);

-- One row per member: a 20k-member group is 20k small rows, changed by set-based statements.
create table group_member (
    group_id uuid not null references scim_group (id) on delete cascade,
    user_id  uuid not null,
    primary key (group_id, user_id)
);
create index group_member_user on group_member (user_id);

-- Mappings set by an admin; they win over the 'organization:team' naming convention.
create table group_mapping (
    connection_id text not null,
    group_id      uuid not null references scim_group (id) on delete cascade,
    organization  text not null,
    team          text not null,
    role          text not null,
    updated_at    timestamptz not null default now(),
    primary key (connection_id, group_id)
);

-- What this service knows of membership-service's users: enough to validate member ids, show names and
-- leave deactivated users out of teams. Kept current from the command outcomes.
create table directory_user (
    user_id       uuid primary key,
    connection_id text not null,
    user_name     text,
    active        boolean not null,
    version       bigint not null
);

-- Every applied or rejected command with its outcome, so a redelivered command is answered, not re-applied.
create table processed_command (
    command_id    uuid primary key,
    connection_id text not null,
    outcome       text not null,
    processed_at  timestamptz not null default now()
);
