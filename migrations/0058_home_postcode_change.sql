CREATE TABLE "home_postcode_change" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"postcode" text,
	"from_on" date NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "home_postcode_change" ADD CONSTRAINT "home_postcode_change_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "home_postcode_change" ADD CONSTRAINT "home_postcode_change_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "home_postcode_change" ADD CONSTRAINT "home_postcode_change_period_id_looked_after_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."looked_after_period"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "home_postcode_change" ADD CONSTRAINT "home_postcode_change_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "home_postcode_change_period_day_unique" ON "home_postcode_change" USING btree ("period_id","from_on");