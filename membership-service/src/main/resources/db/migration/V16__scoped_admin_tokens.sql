-- Admin tokens scoped to one organization (ScopedAdminTokens): only the SHA-256 of the secret is kept. Revoked
-- tokens stay listed (with when) so an admin can tell what a name in the audit log was; they go with their
-- organization.
create table scoped_admin_token (
    id              text primary key,
    organization_id uuid not null references organization (id) on delete cascade,
    label           text,
    secret_hash     bytea not null,
    created_at      timestamptz not null,
    last_used_at    timestamptz,
    revoked_at      timestamptz
);
create index scoped_admin_token_organization on scoped_admin_token (organization_id, created_at);
