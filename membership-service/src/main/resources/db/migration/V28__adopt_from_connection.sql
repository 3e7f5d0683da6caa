-- The connection-to-connection migration (an organization moving from one IdP to another): while set, a SCIM create
-- on this connection adopts the active account of the same userName that the named connection owns - same account
-- id, memberships, roles and teams - instead of refusing it as another connection's member.
-- Its events and member-state records then name the new connection: the adoption rewrites each of its member rows,
-- whose triggers (V9, V14) emit them.
alter table connection add column adopt_from_connection_id uuid references connection (id) on delete set null;

