CREATE TABLE "census_import" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"year" integer,
	"imported_by" uuid,
	"imported_at" timestamp with time zone NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "census_imported_record" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"census" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "csc_feed_child" (
	"partnership_id" uuid NOT NULL,
	"la_child_id" text NOT NULL,
	"person_id" uuid,
	"payload_hash" text NOT NULL,
	"purged" boolean DEFAULT false NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "csc_feed_run" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"ran_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"children" integer NOT NULL,
	"purged" integer NOT NULL,
	"destination" text NOT NULL,
	"receipts" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "census_import" ADD CONSTRAINT "census_import_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_import" ADD CONSTRAINT "census_import_imported_by_app_user_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_imported_record" ADD CONSTRAINT "census_imported_record_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "census_imported_record" ADD CONSTRAINT "census_imported_record_import_id_census_import_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."census_import"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csc_feed_child" ADD CONSTRAINT "csc_feed_child_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csc_feed_child" ADD CONSTRAINT "csc_feed_child_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csc_feed_run" ADD CONSTRAINT "csc_feed_run_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "census_import_partnership_idx" ON "census_import" USING btree ("partnership_id","imported_at");--> statement-breakpoint
CREATE INDEX "census_imported_record_entity_idx" ON "census_imported_record" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "census_imported_record_import_idx" ON "census_imported_record" USING btree ("import_id");--> statement-breakpoint
CREATE UNIQUE INDEX "csc_feed_child_unique" ON "csc_feed_child" USING btree ("partnership_id","la_child_id");--> statement-breakpoint
CREATE INDEX "csc_feed_run_partnership_idx" ON "csc_feed_run" USING btree ("partnership_id","ran_at");