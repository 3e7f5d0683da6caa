-- Within one chain, record times strictly increase with the sequence, so "newest first" is the chain's
-- own order even for records of the same millisecond.
alter table audit_chain add column last_recorded_at timestamptz;
