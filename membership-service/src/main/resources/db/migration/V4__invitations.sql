-- Pending invitations: accepted at the invitee's first sign-in (with JIT on or off).
create table invitation (
    id              uuid primary key,
    organization_id uuid not null references organization (id) on delete cascade,
    email           text not null,
    role            text not null check (role in ('member', 'editor', 'owner')),
    created_at      timestamptz not null default now()
);

create unique index invitation_email on invitation (organization_id, lower(email));
