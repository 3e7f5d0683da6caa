-- When SCIM was first switched on for a connection. A JIT account the connection's sign-ins create from then on is
-- the IdP's to provision: the person signed in before the IdP's next cycle created them (Entra ID's runs every 40
-- minutes), and SCIM's create adopts the account instead of refusing it for good as a member SCIM does not manage -
-- which left the person's later de-provisioning in the IdP without effect. JIT members from before stay outside
-- SCIM until the JIT-to-SCIM migration (adopt_jit). Connections with SCIM on now count from now: their JIT
-- accounts may be from before, so the migration decides for them as it did.
alter table connection add column scim_enabled_since timestamptz;
update connection set scim_enabled_since = now() where scim_enabled;
