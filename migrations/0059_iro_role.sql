-- The independent reviewing officer role: only its holders can be allocated as a child's IRO, and the
-- 'iro' relationship opens the case to that role only. Those allocated as IRO before the role existed hold it.
UPDATE "app_user" SET "roles" = array_append("roles", 'independent-reviewing-officer')
WHERE NOT ('independent-reviewing-officer' = ANY("roles"))
  AND "id" IN (SELECT "iro_id" FROM "iro_allocation");
