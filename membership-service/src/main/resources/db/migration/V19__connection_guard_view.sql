-- The mass-deprovisioning guard's window, said once: the settings of each connection's guard with the active
-- SCIM members it has, the deactivations and removals applied within its window and the changes it holds
-- undecided. Read by the command batches (which apply the guard) and by the admin API (which shows it).
create view connection_guard as
select c.id as connection_id, c.guard_enabled, c.guard_percent, c.guard_max_members, c.guard_min_members,
       c.guard_window_minutes,
       (select count(*) from account a where a.connection_id = c.id and a.source = 'scim' and a.active)
           as active_members,
       (select count(*) from deprovisioning d where d.connection_id = c.id
                                                and d.applied_at > now() - make_interval(mins => c.guard_window_minutes))
           as deprovisioned,
       (select count(*) from held_change h where h.connection_id = c.id and h.state = 'held') as held
from connection c;
