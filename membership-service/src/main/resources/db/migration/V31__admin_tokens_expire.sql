-- An organization's admin tokens expire (90 days unless the operator asks for another period when issuing one): a
-- leaked or forgotten token stops working on its own. Tokens issued before keep no expiry (null), so an upgrade locks
-- no organization out; the token list shows which, for the operator to replace.
alter table scoped_admin_token add column expires_at timestamptz;
