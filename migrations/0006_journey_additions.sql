ALTER TABLE "person_relationship" ADD COLUMN "ended_on" date;--> statement-breakpoint
CREATE INDEX "person_family_name_trgm_idx" ON "person" USING gin (lower("family_name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "person_given_name_trgm_idx" ON "person" USING gin (lower("given_name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "person_family_name_dmetaphone_idx" ON "person" USING btree ("partnership_id",dmetaphone("family_name"));