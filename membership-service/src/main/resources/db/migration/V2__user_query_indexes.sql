-- SCIM filters run in the database: the common IdP lookups (userName, externalId) use these indexes,
-- and containment on the attribute document uses the GIN index.
create index account_external_id on account (connection_id, external_id);
create index account_attributes on account using gin (attributes jsonb_path_ops);
create index account_created on account (connection_id, created_at, id);
