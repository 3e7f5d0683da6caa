-- A command batch finds the teams its placements name by organization and name in any letter case
-- (UserCommandStore.TEAMS_BY_NAME), one organization at a time: this index answers each with the team itself, where
-- the unique (organization_id, name) index would read every team of the organization.
create index team_organization_lower_name on team (organization_id, lower(name));
