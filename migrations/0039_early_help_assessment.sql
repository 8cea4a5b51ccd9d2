CREATE TABLE "early_help_assessment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"started_on" date NOT NULL,
	"completed_on" date,
	"agency_id" uuid,
	"organisation" text NOT NULL,
	"lead_user_id" uuid,
	"summary" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "early_help_assessment_completed_after_start" CHECK ("early_help_assessment"."completed_on" is null or "early_help_assessment"."completed_on" >= "early_help_assessment"."started_on")
);
--> statement-breakpoint
ALTER TABLE "early_help_assessment" ADD CONSTRAINT "early_help_assessment_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "early_help_assessment" ADD CONSTRAINT "early_help_assessment_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "early_help_assessment" ADD CONSTRAINT "early_help_assessment_agency_id_agency_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agency"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "early_help_assessment" ADD CONSTRAINT "early_help_assessment_lead_user_id_app_user_id_fk" FOREIGN KEY ("lead_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "early_help_assessment" ADD CONSTRAINT "early_help_assessment_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "early_help_assessment_case_idx" ON "early_help_assessment" USING btree ("case_id","started_on");--> statement-breakpoint
CREATE INDEX "early_help_assessment_partnership_idx" ON "early_help_assessment" USING btree ("partnership_id","started_on");