-- The default order of a connection's groups (creation, then id): it serves index pages and the keyset pages of
-- SCIM cursors ((created_at, id) > (last page's key)), which then cost the same deep in a large connection as at
-- its start.
create index scim_group_connection_created on scim_group (connection_id, created_at, id);
