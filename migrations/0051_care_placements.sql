CREATE TABLE "carer" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"urn" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legal_status_change" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"legal_status" text NOT NULL,
	"from_on" date NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "period_of_care" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"category_of_need" text NOT NULL,
	"uasc" boolean DEFAULT false NOT NULL,
	"home_postcode" text,
	"reason_ceased" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "placement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"interrupts_id" uuid,
	"place_type" text NOT NULL,
	"provider" text,
	"carer_id" uuid,
	"postcode" text NOT NULL,
	"urn" text,
	"started_on" date NOT NULL,
	"ended_on" date,
	"end_reason" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "carer" ADD CONSTRAINT "carer_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_status_change" ADD CONSTRAINT "legal_status_change_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_status_change" ADD CONSTRAINT "legal_status_change_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_status_change" ADD CONSTRAINT "legal_status_change_period_id_looked_after_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."looked_after_period"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_status_change" ADD CONSTRAINT "legal_status_change_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_of_care" ADD CONSTRAINT "period_of_care_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_of_care" ADD CONSTRAINT "period_of_care_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_of_care" ADD CONSTRAINT "period_of_care_period_id_looked_after_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."looked_after_period"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_of_care" ADD CONSTRAINT "period_of_care_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placement" ADD CONSTRAINT "placement_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placement" ADD CONSTRAINT "placement_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placement" ADD CONSTRAINT "placement_period_id_looked_after_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."looked_after_period"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placement" ADD CONSTRAINT "placement_interrupts_id_placement_id_fk" FOREIGN KEY ("interrupts_id") REFERENCES "public"."placement"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placement" ADD CONSTRAINT "placement_carer_id_carer_id_fk" FOREIGN KEY ("carer_id") REFERENCES "public"."carer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "placement" ADD CONSTRAINT "placement_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "carer_partnership_idx" ON "carer" USING btree ("partnership_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "legal_status_change_period_day_unique" ON "legal_status_change" USING btree ("period_id","from_on");--> statement-breakpoint
CREATE UNIQUE INDEX "period_of_care_period_unique" ON "period_of_care" USING btree ("period_id");--> statement-breakpoint
CREATE INDEX "period_of_care_case_idx" ON "period_of_care" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "placement_period_idx" ON "placement" USING btree ("period_id","started_on");--> statement-breakpoint
CREATE INDEX "placement_case_idx" ON "placement" USING btree ("case_id");