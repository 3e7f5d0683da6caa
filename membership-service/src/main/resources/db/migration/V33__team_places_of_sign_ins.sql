-- A team place a JIT sign-in's groups made is the sign-in's: the IdP's SCIM updates end only the team places SCIM
-- made (its placement's team), so its next update of anything - a title - no longer takes the person out of a team
-- the sign-in put them in, until the next sign-in put them back. A deactivation still ends every team place.
-- A JIT account's team places were all made by its sign-ins; of a SCIM account's, which were is not recorded, and
-- they stay SCIM's, as they were.
alter table team_member add column placed_at_sign_in boolean not null default false;
update team_member set placed_at_sign_in = true
    where account_id in (select id from account where source = 'jit');
