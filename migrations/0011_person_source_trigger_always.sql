-- The person index must hear of every person written, whatever the session's replication role:
-- the synthetic seed loads with session_replication_role = replica (per-row foreign-key triggers
-- off, checked set-wise afterwards), which would otherwise skip this trigger too.
ALTER TABLE person ENABLE ALWAYS TRIGGER person_source_record;
