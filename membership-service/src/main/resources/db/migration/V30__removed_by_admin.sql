-- An admin's removal by hand of a member an IdP placed (SCIM, its groups, or a JIT sign-in) sticks: the next SCIM
-- update of that user, one of its groups or its next sign-in placed it back in the organization, so an emergency
-- removal lasted until the IdP next said anything about the person. Kept per (account, organization) until an admin
-- adds the person back (or invites them, and they accept); gone with the account or the organization.
create table removed_by_admin (
    account_id      uuid not null references account (id) on delete cascade,
    organization_id uuid not null references organization (id) on delete cascade,
    removed_at      timestamptz not null,
    primary key (account_id, organization_id)
);
create index removed_by_admin_organization on removed_by_admin (organization_id);
