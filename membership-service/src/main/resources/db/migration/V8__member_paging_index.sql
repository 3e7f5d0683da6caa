-- The admin API lists an organization's members oldest first, a page at a time (the console pages through
-- 100k members): this index answers a page by walking the organization's entries in that order instead of
-- sorting all of them. It also serves every lookup the old organization index did.
create index member_organization_created on member (organization_id, created_at, account_id);
drop index member_organization;
