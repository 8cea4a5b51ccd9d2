-- The LA child ID format becomes one of the partnership's local rules (shown and changed on the
-- local timescales page and through the local-rules API), moved from the instance settings where
-- the command line kept it.
UPDATE "partnership" AS p
SET "local_rules" = p."local_rules" || jsonb_build_object('laChildIdFormat', s."value"),
    "version" = p."version" + 1
FROM "instance_setting" AS s
WHERE s."key" = 'journey.la-child-id-format.' || p."id";
--> statement-breakpoint
DELETE FROM "instance_setting" WHERE "key" LIKE 'journey.la-child-id-format.%';
