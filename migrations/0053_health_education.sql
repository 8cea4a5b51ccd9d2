CREATE TABLE "health_education_record" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"done_on" date NOT NULL,
	"up_to_date" boolean,
	"sdq_score" integer,
	"sdq_reason" text,
	"done_by" text,
	"notes" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "health_education_record" ADD CONSTRAINT "health_education_record_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_education_record" ADD CONSTRAINT "health_education_record_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_education_record" ADD CONSTRAINT "health_education_record_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "health_education_case_idx" ON "health_education_record" USING btree ("case_id","done_on");