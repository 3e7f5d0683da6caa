-- The directory's users by userName, compared as membership-service compares them (ignoring case): the gateway asks
-- a user's groups by name (GroupQueries.groupsOfUserName) beside its userName lookup when it expects the lookup to
-- find the user, so that a found lookup waits for one internal round trip instead of two in a row.
create index directory_user_connection_name on directory_user (connection_id, lower(user_name));
