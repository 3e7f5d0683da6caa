-- V2's GIN index on account.attributes (jsonb_path_ops) answers only containment and JSON-path match operators
-- (@>, @?, @@), and no query has ever used them: UserQuerySql filters attributes through #> paths and typed
-- comparisons, which a GIN index cannot serve (pg_stat_user_indexes: 0 scans after a 10,000-user sync, against
-- 1,637-39,850 for the other indexes of account). Every create and every profile update still paid for it: a GIN
-- entry per JSON path and value of the user's attributes, and from time to time the merge of the pending list into
-- the index, run by whichever batch's insert filled it.
drop index account_attributes;
